/**
 * CloudFormation and IAM quotas the stack must stay inside, with headroom for the next routes:
 * - 500 resources per stack (`cdk synth` fails with TooManyResourcesInStack above it). Each
 *   route adds about six (function, role, log group, API resource, method, permission), so the
 *   budget below keeps room for a few more before the stack has to be split.
 * - 10,240 characters for all inline policies of one role together. A Hub function's grants
 *   are inline in its role (infra/constructs/inline-role.ts), which CDK does not split.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_POLICY_NAME } from '../../infra/constructs/inline-role.js';
import { createStubRoot, statementsByRole, synthHubStack, type StubRoot } from './synth.js';

/**
 * Budgets below CloudFormation's 500 (`cdk synth` adds one more resource, CDKMetadata). The VPC
 * variant's 494 leaves room for about one more route (some six resources): when a change needs
 * more, move a self-contained part (monitoring, the console) into a nested stack.
 */
const VARIANTS = [
  { name: 'default', context: {}, maxResources: 480 },
  { name: 'fixed egress IP (VPC)', context: { feedbackFixedEgressIp: 'true' }, maxResources: 494 },
] as const;

/** IAM's aggregate size limit of a role's inline policies (characters, whitespace excluded). */
const ROLE_INLINE_POLICY_LIMIT = 10_240;
/**
 * Deploy-time length assumed for one unresolved value (Ref, Fn::GetAtt, Fn::Join ...): longer
 * than any ARN or name in this stack resolves to (a table index ARN is about 110 characters).
 */
const RESOLVED_LENGTH = 256;
const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::If',
]);

/** The value with every CloudFormation intrinsic replaced by a string of its assumed resolved length. */
const resolvedEstimate = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(resolvedEstimate);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && INTRINSICS.has(keys[0]!)) return 'x'.repeat(RESOLVED_LENGTH);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvedEstimate(v)]));
  }
  return value;
};

let root: StubRoot;
beforeAll(() => {
  root = createStubRoot('hub-limits-test-');
});
afterAll(() => root?.dispose());

describe.each(VARIANTS)('stack limits: $name', ({ name, context, maxResources }) => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(
      synthHubStack(root, `HubLimits${name === 'default' ? '' : 'Vpc'}`, { context }).stack,
    );
  }, 120_000);

  it(`has at most ${maxResources} resources (CloudFormation's limit is 500)`, () => {
    const count = Object.keys(template.toJSON().Resources as Record<string, unknown>).length;
    console.log(`stack limits (${name}): ${count} resources (budget ${maxResources}, CloudFormation limit 500)`);
    expect(count).toBeLessThanOrEqual(maxResources);
  });

  it('creates no AWS::IAM::Policy per function: a Hub function role holds its grants inline', () => {
    const roles = template.findResources('AWS::IAM::Role') as Record<
      string,
      { Properties: { Policies?: { PolicyName: string }[] } }
    >;
    const inline = Object.keys(roles).filter((id) =>
      roles[id]!.Properties.Policies?.some((p) => p.PolicyName === INLINE_POLICY_NAME),
    );
    expect(inline.length).toBe(Object.keys(template.findResources('AWS::Lambda::Function')).length - 1);
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy') as Record<string, { Properties: { Roles: unknown[] } }>,
    );
    for (const policy of policies)
      for (const id of inline) expect(JSON.stringify(policy.Properties.Roles)).not.toContain(`"${id}"`);
    // The console deployer (CDK's BucketDeployment function) is the one role with a DefaultPolicy.
    expect(policies).toHaveLength(1);
  });

  it(
    `keeps every role's policies under IAM's ${ROLE_INLINE_POLICY_LIMIT}-character inline limit (ARNs ` +
      `estimated long)`,
    () => {
      const sizes = [...statementsByRole(template)].map(([roleId, statements]) => ({
        roleId,
        size: JSON.stringify({ Version: '2012-10-17', Statement: resolvedEstimate(statements) }).length,
      }));
      expect(sizes.length).toBeGreaterThan(50);
      const largest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
      console.log(
        `stack limits (${name}): largest role policy ${largest.size} characters (estimated), ${largest.roleId}`,
      );
      for (const { roleId, size } of sizes) expect(size, roleId).toBeLessThan(ROLE_INLINE_POLICY_LIMIT);
    },
  );
});
