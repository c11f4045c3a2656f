/**
 * cdk-nag (AWS Solutions and HIPAA Security packs) over the whole HubStack, default and with the
 * fixed egress IP (the VPC variant), plus least-privilege checks of every IAM statement.
 *
 * A finding is either fixed in its construct or suppressed there, next to the resource, with a
 * written reason; this file only checks that nothing is left over and that every suppression
 * says why. Handlers are stubbed and bundling skipped (see synth.ts).
 */
import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStubRoot, statementsOfRole, synthHubStack, type StubRoot } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, unknown>;
};
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> };
type Suppression = { id: string; reason: string; applies_to?: unknown[]; is_reason_encoded?: boolean };

const NAG_RULES = Match.stringLikeRegexp('AwsSolutions-.*|HIPAA.Security-.*');

/**
 * Findings that are fixed in the constructs, never suppressed: a suppression of one of these
 * would hide a regression.
 */
const FIXED_NOT_SUPPRESSED = [
  'AwsSolutions-APIG1', // access logging
  'AwsSolutions-APIG3', // WAF on the stage
  'AwsSolutions-APIG6', // execution logging (ERROR)
  'AwsSolutions-COG1', // password policy
  'AwsSolutions-COG2', // MFA
  'AwsSolutions-COG3', // advanced security (threat protection)
  'AwsSolutions-KMS5', // key rotation
  'AwsSolutions-DDB3', // PITR
  'AwsSolutions-SNS3', // alarm topic TLS only
  'AwsSolutions-SQS4', // queues TLS only
  'AwsSolutions-S10', // buckets TLS only
  'AwsSolutions-VPC7', // flow logs
  'HIPAA.Security-APIGWExecutionLoggingEnabled',
  'HIPAA.Security-CloudWatchAlarmAction',
  'HIPAA.Security-CloudWatchLogGroupEncrypted',
  'HIPAA.Security-CloudWatchLogGroupRetentionPeriod',
  'HIPAA.Security-DynamoDBInBackupPlan',
  'HIPAA.Security-DynamoDBPITREnabled',
  'HIPAA.Security-SNSEncryptedKMS',
  'HIPAA.Security-VPCFlowLogsEnabled',
  'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled',
  'HIPAA.Security-WAFv2LoggingEnabled',
];

/** The only actions that may have Resource "*": they take no resource-level permissions. */
const NO_RESOURCE_LEVEL_ACTIONS = new Set(['dynamodb:ListStreams']);

/**
 * AWS managed policies attached to roles: outside the template's inline policies (AWS writes
 * them), each one suppressed for IAM4 with its reason in the construct that attaches it.
 */
const MANAGED_POLICIES = {
  default: [
    'service-role/AmazonAPIGatewayPushToCloudWatchLogs', // the account's API Gateway logging role
    'service-role/AWSBackupServiceRolePolicyForBackup', // AWS Backup's role for the tables
  ],
  vpc: [
    'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    'service-role/AWSBackupServiceRolePolicyForBackup',
    'service-role/AWSLambdaVPCAccessExecutionRole', // ENIs of the two functions in the VPC
  ],
} as const;

const VARIANTS = [
  { name: 'default', context: {}, managedPolicies: MANAGED_POLICIES.default },
  { name: 'fixed egress IP (VPC)', context: { feedbackFixedEgressIp: 'true' }, managedPolicies: MANAGED_POLICIES.vpc },
] as const;

let root: StubRoot;
beforeAll(() => {
  root = createStubRoot('hub-nag-test-');
});
afterAll(() => root?.dispose());

const describeMessages = (messages: SynthesisMessage[]): string[] =>
  messages.map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]!.slice(0, 200)}`);
const actionsOf = (s: Statement): string[] => [s.Action ?? []].flat();
const decodeReason = (s: Suppression): string =>
  s.is_reason_encoded ? Buffer.from(s.reason, 'base64').toString('utf8') : s.reason;

describe.each(VARIANTS)('cdk-nag: $name', ({ name, context, managedPolicies }) => {
  let errors: SynthesisMessage[];
  let warnings: SynthesisMessage[];
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    const { app, stack } = synthHubStack(root, `HubNag${name === 'default' ? '' : 'Vpc'}`, {
      context,
      beforeStack: (a) => {
        // Findings are read from the annotations below: no CSV reports in the temporary outdir.
        Aspects.of(a).add(new AwsSolutionsChecks({ verbose: true, reports: false }));
        Aspects.of(a).add(new HIPAASecurityChecks({ verbose: true, reports: false }));
      },
    });
    const annotations = Annotations.fromStack(stack);
    errors = annotations.findError('*', NAG_RULES);
    warnings = annotations.findWarning('*', NAG_RULES);
    // The assembly that synthesis just produced (Template.fromStack would synthesise again).
    template = Template.fromJSON(app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>);
    resources = template.toJSON().Resources as Record<string, Resource>;
  });

  const suppressions = (): { resource: string; suppression: Suppression }[] => {
    const stackLevel = ((template.toJSON().Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map(
      (suppression) => ({ resource: '(stack)', suppression }),
    );
    const onResources = Object.entries(resources).flatMap(([id, r]) =>
      ((r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map((suppression) => ({
        resource: id,
        suppression,
      })),
    );
    return [...stackLevel, ...onResources];
  };

  it('has no unsuppressed errors', () => {
    expect(describeMessages(errors)).toEqual([]);
  });

  it('has no unsuppressed warnings', () => {
    expect(describeMessages(warnings)).toEqual([]);
  });

  it('gives every suppression a written reason (at least 20 characters, more than the rule id)', () => {
    const all = suppressions();
    expect(all.length).toBeGreaterThan(0);
    const weak = all.filter(({ suppression }) => {
      const reason = decodeReason(suppression).trim();
      return reason.length < 20 || reason === suppression.id || /^(todo|tbd|n\/?a|fixme)\b/i.test(reason);
    });
    expect(weak.map(({ resource, suppression }) => `${resource}: ${suppression.id}`)).toEqual([]);
  });

  it('suppresses no stack-wide finding: every suppression sits on its resource', () => {
    expect(template.toJSON().Metadata?.cdk_nag).toBeUndefined();
  });

  it('never suppresses a finding that the constructs fix, nor any action wildcard', () => {
    const hidden = suppressions().filter(
      ({ suppression }) =>
        FIXED_NOT_SUPPRESSED.includes(suppression.id) ||
        (suppression.applies_to ?? []).some((finding) => String(finding).startsWith('Action::')),
    );
    expect(
      hidden.map(
        ({ resource, suppression }) => `${resource}: ${suppression.id} ${JSON.stringify(suppression.applies_to ?? '')}`,
      ),
    ).toEqual([]);
  });

  it(
    'limits IAM5 suppressions to named resources: index and object-prefix wildcards, and Resource * for ' +
      'ListStreams',
    () => {
      const iam5 = suppressions().filter(({ suppression }) => suppression.id === 'AwsSolutions-IAM5');
      expect(iam5.length).toBeGreaterThan(0);
      for (const { resource, suppression } of iam5) {
        expect(suppression.applies_to, `${resource}: IAM5 without appliesTo`).toBeDefined();
        for (const finding of suppression.applies_to as string[]) {
          // ... and the console deployer's put/delete under console/ of the console bucket.
          expect(finding, resource).toMatch(
            new RegExp(
              String.raw`^Resource::(\*|<Data(Hub|Audit|Analytics)Table[0-9A-F]{8}\.Arn>/index/\*` +
                String.raw`|<(AuditArchiveBucket|AnalyticsExportBucket)[0-9A-F]{8}\.Arn>/(audit|facts)/\*` +
                String.raw`|<ConsoleBucket[0-9A-F]{8}\.Arn>/console/\*)$`,
            ),
          );
        }
      }
      // Resource "*" is suppressed only where the role really has a ListStreams statement.
      for (const { resource, suppression } of iam5.filter(({ suppression: s }) =>
        (s.applies_to as string[]).includes('Resource::*'),
      )) {
        expect(decodeReason(suppression)).toContain('ListStreams');
        // On a role (whose inline policy holds its grants) or on a policy resource attached to one.
        const type = resources[resource]!.Type;
        if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::Role') {
          const statements =
            type === 'AWS::IAM::Role'
              ? statementsOfRole<Statement>(template, resource)
              : (resources[resource]!.Properties!.PolicyDocument.Statement as Statement[]);
          expect(statements.filter((s) => s.Resource === '*').flatMap(actionsOf), resource).toEqual([
            'dynamodb:ListStreams',
          ]);
        } else {
          expect.fail(`${resource}: IAM5 Resource::* suppressed on a ${type}`);
        }
      }
    },
  );

  it('limits IAM4 suppressions to the AWS managed policies the stack attaches on purpose', () => {
    const iam4 = suppressions().filter(({ suppression }) => suppression.id === 'AwsSolutions-IAM4');
    for (const { resource, suppression } of iam4) {
      expect(suppression.applies_to, `${resource}: IAM4 without appliesTo`).toBeDefined();
      for (const finding of suppression.applies_to as string[]) {
        expect(
          managedPolicies.map((p) => `Policy::arn:<AWS::Partition>:iam::aws:policy/${p}`),
          resource,
        ).toContain(finding);
      }
    }
  });

  // --- least privilege (Issue #8, part 2)

  /** Statements of identity policies: AWS::IAM::Policy, customer managed policies, roles' inline policies. */
  const identityStatements = (): { where: string; statement: Statement }[] =>
    Object.entries(resources).flatMap(([id, r]) => {
      const documents =
        r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'
          ? [r.Properties!.PolicyDocument]
          : r.Type === 'AWS::IAM::Role'
            ? ((r.Properties!.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument)
            : [];
      return documents.flatMap((doc) =>
        ((doc as { Statement: Statement[] }).Statement ?? []).map((statement) => ({ where: id, statement })),
      );
    });

  it(
    'grants no wildcard action in any IAM policy statement (no "*", no dynamodb:*, s3:*, kms:*, no prefix ' +
      'wildcards)',
    () => {
      const statements = identityStatements();
      expect(statements.length).toBeGreaterThan(
        Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::Lambda::Function').length,
      );
      const wild = statements.filter(
        ({ statement }) =>
          statement.NotAction !== undefined || actionsOf(statement).some((action) => action.includes('*')),
      );
      expect(
        wild.map(({ where, statement }) => `${where}: ${JSON.stringify(statement.Action ?? statement.NotAction)}`),
      ).toEqual([]);
    },
  );

  it('allows Resource "*" only for actions that take no resource-level permissions', () => {
    const onEverything = identityStatements().filter(
      ({ statement }) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'),
    );
    const offending = onEverything.filter(({ statement }) =>
      actionsOf(statement).some((action) => !NO_RESOURCE_LEVEL_ACTIONS.has(action)),
    );
    expect(offending.map(({ where, statement }) => `${where}: ${JSON.stringify(statement.Action)}`)).toEqual([]);
  });

  it(
    'attaches only the expected AWS managed policies (never AWSLambdaBasicExecutionRole: each function ' +
      'writes its own log group only)',
    () => {
      const attached = new Set(
        Object.values(resources)
          .filter((r) => r.Type === 'AWS::IAM::Role')
          .flatMap((r) => (r.Properties!.ManagedPolicyArns ?? []) as unknown[])
          .map((arn) => JSON.stringify(arn).match(/:iam::aws:policy\/([^"]+)"/)?.[1] ?? JSON.stringify(arn)),
      );
      expect([...attached].sort()).toEqual([...managedPolicies].sort());
    },
  );

  it('gives every function role log writes on its own log group only', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const fn of functions) {
      const roleId = fn.Properties!.Role['Fn::GetAtt'][0] as string;
      const logGroupId = fn.Properties!.LoggingConfig.LogGroup.Ref as string;
      const logStatements = statementsOfRole<Statement>(template, roleId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements.flatMap(actionsOf).sort(), roleId).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(
        logStatements.map((s) => s.Resource),
        roleId,
      ).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
    }
  });

  it(
    'grants no wildcard action to anyone but the account itself in resource policies (keys, buckets, queues, ' +
      'topics)',
    () => {
      const documents: { where: string; doc: { Statement: Statement[] } }[] = Object.entries(resources).flatMap(
        ([id, r]) => {
          switch (r.Type) {
            case 'AWS::KMS::Key':
              return [{ where: id, doc: r.Properties!.KeyPolicy }];
            case 'AWS::S3::BucketPolicy':
            case 'AWS::SQS::QueuePolicy':
            case 'AWS::SNS::TopicPolicy':
              return [{ where: id, doc: r.Properties!.PolicyDocument }];
            default:
              return [];
          }
        },
      );
      expect(documents.length).toBeGreaterThan(3);
      // The key policy's account-root statements delegate to IAM (the IAM policies above); Deny statements only take
      // away.
      const accountRoot = (s: Statement) => JSON.stringify(s.Principal ?? '').includes(':root"');
      const wild = documents.flatMap(({ where, doc }) =>
        doc.Statement.filter(
          (s) => s.Effect === 'Allow' && !accountRoot(s) && actionsOf(s).some((a) => a.includes('*')),
        ).map((s) => `${where}: ${JSON.stringify(s.Action)}`),
      );
      expect(wild).toEqual([]);
    },
  );
});
