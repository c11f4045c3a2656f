/**
 * The ONE place Lambda defaults live: every handler of the Hub (routes, schedules, stream
 * consumers) is a HubFunction, so runtime, bundling and logging cannot drift between them.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { DataAccess } from '../../functions/access.js';
import type { Data } from './data.js';
import { InlineRole } from './inline-role.js';
import { ENV } from '../../shared/env.js';

/** esbuild emits ESM; some dependencies still call `require`, which ESM lacks. */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Props every function of one stack shares; the stack builds them once. */
export interface HubFunctionDefaults {
  /** Directory that holds `package-lock.json`; handler paths are relative to it. */
  readonly projectRoot: string;
  /** POWERTOOLS_SERVICE_NAME: one service, told apart in logs by function name. */
  readonly serviceName: string;
  /** Variables every handler needs, e.g. all table names (`shared/config.ts` requires each). */
  readonly environment?: Record<string, string>;
  /**
   * Encrypts the function's log group. Logs can hold identifiers of referrals and people
   * in error messages, so they are encrypted like the data.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Three months: enough to investigate an incident; the durable record of who did what is
   * the audit table and its write-once copy, not the function logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

export interface HubFunctionProps extends HubFunctionDefaults {
  /** Handler module path from the project root (a route's or schedule's `handler`); it exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** @default 512 - CPU scales with memory; 512 MB keeps cold starts of bundled SDK handlers short */
  readonly memorySize?: number;
  /** @default 10 seconds - API Gateway gives up after 29 s; a handler that needs more is broken */
  readonly timeout?: Duration;
  /** Asynchronous invocation retries (schedules). @default - Lambda's default (2) */
  readonly retryAttempts?: number;
  /**
   * Runs the function in this VPC (ENIs in `vpcSubnets`, `securityGroups` on them); the role
   * then also gets the AWS managed policy for ENI management. @default - no VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default - one security group created by Lambda for the function (only with `vpc`) */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default - the VPC's private subnets (only with `vpc`) */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** The AWS managed policy a function in a VPC needs to create and delete its network interfaces. */
const VPC_ACCESS_POLICY = 'service-role/AWSLambdaVPCAccessExecutionRole';

export class HubFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  /** The execution role: writes to its own log group only, plus whatever the function is granted. */
  readonly role: InlineRole;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);
    const projectRoot = path.resolve(props.projectRoot);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      ...(props.logEncryptionKey ? { encryptionKey: props.logEncryptionKey } : {}),
    });

    // Our own role instead of Lambda's default one: that one carries AWSLambdaBasicExecutionRole,
    // which may create log groups and write to every log group in the account. This one writes
    // log streams of the function's own log group and nothing else. Its grants are an inline
    // policy of the role itself, not a separate AWS::IAM::Policy: see InlineRole.
    this.role = new InlineRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(VPC_ACCESS_POLICY));

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.resolve(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      // Graviton: cheaper per GB-second and no slower for this I/O-bound code.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup: this.logGroup,
      role: this.role,
      ...(props.vpc ? { vpc: props.vpc } : {}),
      ...(props.securityGroups ? { securityGroups: props.securityGroups } : {}),
      ...(props.vpcSubnets ? { vpcSubnets: props.vpcSubnets } : {}),
      ...(props.description ? { description: props.description } : {}),
      ...(props.retryAttempts !== undefined ? { retryAttempts: props.retryAttempts } : {}),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        // Prefer packages' ESM builds so esbuild can tree-shake them.
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Maps locate the line; embedding the sources would only grow the bundle.
        sourcesContent: false,
        // Bundle the AWS SDK instead of using the runtime's copy: the version is the one we
        // tested, and a tree-shaken bundle loads faster than the runtime's full SDK.
        bundleAwsSDK: true,
        externalModules: [],
      },
    });
    this.grantPrincipal = this.function.grantPrincipal;
    this.addNagSuppressions(props);
  }

  /** cdk-nag findings that every Hub function shares, each with why it does not apply here. */
  private addNagSuppressions(props: HubFunctionProps): void {
    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'The runtime is pinned to nodejs22.x (a supported LTS runtime) on purpose: the bundles are ' +
          'built, typed and tested for Node 22, and the stack tests assert it. Moving to a newer runtime is ' +
          'a deliberate change made with the test suite, not a silent default.',
      },
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          'Load is bounded before it reaches the function: WAF per-IP rule, stage per-method throttles and ' +
          'usage plans for routes, one invocation per minute for schedules, shard count for stream ' +
          'consumers. Reserved concurrency per function would carve the regional pool into dozens of fixed ' +
          'slices (and cannot be set at all on accounts with the default low quota).',
      },
      ...(props.vpc
        ? []
        : [
            {
              id: 'HIPAA.Security-LambdaInsideVPC',
              reason:
                'Nothing this function reaches lives in a VPC: DynamoDB, KMS, S3, SQS and Secrets Manager ' +
                'are AWS APIs called over TLS with IAM-signed requests and resource-level grants. A VPC ' +
                'would add NAT or interface endpoints and ENI cold starts without a network boundary to ' +
                'protect (the webhook senders can run in one for a fixed egress address: fixedEgressIp).',
            },
          ]),
    ]);
    // On the role, whose inline policy (holding the log grant above and every other) is where
    // the finding is reported.
    NagSuppressions.addResourceSuppressions(this.role, [
      {
        id: 'HIPAA.Security-IAMNoInlinePolicy',
        reason:
          "The function's permissions are an inline policy of its own role on purpose: one role per " +
          'function, created and deleted with it, so no permission can be attached to another principal by ' +
          "mistake (AWS's guidance for a strict one-to-one relationship). Each statement is scoped to named " +
          'resources.',
      },
    ]);
    if (props.vpc) {
      NagSuppressions.addResourceSuppressions(this.role, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSLambdaVPCAccessExecutionRole is the AWS managed policy for the network interfaces of a ' +
            'function in a VPC (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, ' +
            'DeleteNetworkInterface, ...): those actions take no resource-level scoping, and Lambda checks ' +
            'for them when the function is created.',
          appliesTo: [`Policy::arn:<AWS::Partition>:iam::aws:policy/${VPC_ACCESS_POLICY}`],
        },
      ]);
    }
  }

  /**
   * Grants the handler's data access as declared in functions/access.ts (tables, indexes and
   * the data key through DynamoDB; webhook secrets under their encryption context) and, where
   * it seals or opens webhook secrets, the key's ARN. Table names come with the defaults: every
   * function carries all of them (shared/config.ts requires each; a name grants nothing).
   * `resolvesCaller`: an authenticated route, which also reads the registry.
   */
  grantData(data: Data, access: DataAccess, options: { resolvesCaller?: boolean } = {}): this {
    data.grantAccess(this.function, access, options);
    if (access.webhookSecrets) this.function.addEnvironment(ENV.feedbackKmsKeyArn, data.key.keyArn);
    return this;
  }
}
