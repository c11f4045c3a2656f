/**
 * A role whose granted permissions live in its own inline policy (`Policies` of the
 * AWS::IAM::Role) instead of a separate AWS::IAM::Policy: one CloudFormation resource per
 * function instead of two, which keeps the stack under CloudFormation's 500-resource limit.
 * The statements are the same ones the default policy would hold; a role's inline policies share
 * the same 10,240-character aggregate limit that applied to the default policy.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Name of the inline policy that collects every grant. */
export const INLINE_POLICY_NAME = 'access';

export class InlineRole extends iam.Role {
  /** Every statement granted to this role (Grant.addToPrincipal, addToPolicy, event sources, ...). */
  readonly document: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: Omit<iam.RoleProps, 'inlinePolicies'>) {
    // The document must exist before super(): Role copies `inlinePolicies` in its constructor.
    // A field initialiser would run after super() and overwrite it, so it is assigned below.
    const document = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { [INLINE_POLICY_NAME]: document } });
    this.document = document;
  }

  /**
   * Every grant of the CDK (Grant.addToPrincipal*, Function.addToRolePolicy, event sources,
   * addToPolicy) goes through here; the base class would create a DefaultPolicy resource.
   * The role itself is what a dependent resource must wait for.
   */
  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}
