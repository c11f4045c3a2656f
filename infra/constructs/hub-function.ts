/**
 * The ONE place Lambda defaults live: every handler of the Hub (routes, schedules, stream
 * consumers) is a HubFunction, so runtime, bundling and logging cannot drift between them.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TABLE_ENV, type TableId } from '../tables.js';
import type { Data, TableAccess } from './data.js';

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
}

export class HubFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);
    const projectRoot = path.resolve(props.projectRoot);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      ...(props.logEncryptionKey ? { encryptionKey: props.logEncryptionKey } : {}),
    });

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
  }

  /** Grants access to one table and sets its environment variable (from `TABLE_ENV`). */
  bindTable(data: Data, tableId: TableId, access: TableAccess): this {
    data.grant(this.function, tableId, access);
    this.function.addEnvironment(TABLE_ENV[tableId], data.tables[tableId].tableName);
    return this;
  }
}
