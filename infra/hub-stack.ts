/**
 * The AMHP Referral Hub in AWS (ARCHITECTURE.md): data, identity, API behind WAF, schedules
 * and the write-once audit copy. Env-agnostic and free of lookups, so `cdk synth` runs
 * offline; everything variable comes from props or context (`-c key=value`).
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDef } from '../functions/routes.js';
import type { Registry } from '../shared/schemas/registry.js';
import { Analytics } from './constructs/analytics.js';
import { Api } from './constructs/api.js';
import { AuditArchive } from './constructs/audit.js';
import { OperatorConsole } from './constructs/console.js';
import { Data } from './constructs/data.js';
import { Feedback } from './constructs/feedback.js';
import { HubFunction, type HubFunctionDefaults } from './constructs/hub-function.js';
import { Identity } from './constructs/identity.js';
import { Monitoring } from './constructs/monitoring.js';
import { Schedules } from './constructs/schedule.js';
import { Waf } from './constructs/waf.js';

/** The repository root: handler paths in the route and schedule tables are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface HubStackProps extends StackProps {
  /** Where handler modules and `package-lock.json` live. @default PROJECT_ROOT */
  readonly projectRoot?: string;
  /** @default 'amhp-referral-hub' */
  readonly serviceName?: string;
  /**
   * Partner systems and the people client's name: a Cognito client, API key and usage plan each.
   * Required: a production stack never falls back to the local seed's invented partners (#18).
   */
  readonly registry: Pick<Registry, 'clients' | 'peopleClientId'>;
  /**
   * Context `peopleCallbackUrls` (comma-separated): more places people sign in from. The
   * console's own URL is always on the list, because its config.json names it as the redirect
   * URI. The local stack's console signs in with a password grant, not through Cognito, so no
   * localhost URL is needed.
   * @default - only the operator console's URL (`https://<distribution>/console/`)
   */
  readonly peopleCallbackUrls?: readonly string[];
  /** Context `peopleLogoutUrls` (comma-separated), added to the console's URL. */
  readonly peopleLogoutUrls?: readonly string[];
  /**
   * Context `consoleDomainName` (comma-separated) and `consoleCertificateArn` (ACM, us-east-1):
   * serve the console on its own host name with TLS 1.2 as the minimum. Both or neither.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly consoleDomainNames?: readonly string[];
  readonly consoleCertificateArn?: string;
  /** Context `cognitoDomainPrefix`. @default `<stack name>-<account id>` */
  readonly cognitoDomainPrefix?: string;
  /** Context `auditRetentionDays`. @default see AuditArchiveProps.retentionDays */
  readonly auditRetentionDays?: number;
  /** Context `wafRateLimit` (requests per IP per 5 minutes). @default see WafProps */
  readonly wafRateLimitPer5Minutes?: number;
  /**
   * Context `requireApiKey` (`-c requireApiKey=false` turns the per-client limits off). @default see
   * ApiProps.requireApiKey
   */
  readonly requireApiKey?: boolean;
  /** Context `clientThrottleScale`, JSON: `{"<registry clientId>": 2}`. @default see ApiProps.clientThrottleScale */
  readonly clientThrottleScale?: Readonly<Record<string, number>>;
  /** Context `peopleThrottleScale`. @default see ApiProps.peopleThrottleScale */
  readonly peopleThrottleScale?: number;
  /** Context `stageThrottleScale`. @default see ApiProps.stageThrottleScale */
  readonly stageThrottleScale?: number;
  /** Context `manageApiGatewayAccountRole`. @default see ApiProps.manageAccountLogRole */
  readonly manageApiGatewayAccountRole?: boolean;
  /** Context `alarmEmail`: subscribed to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
}

export class HubStack extends Stack {
  readonly data: Data;
  readonly identity: Identity;
  readonly api: Api;
  readonly waf: Waf;
  readonly schedules: Schedules;
  readonly feedback: Feedback;
  readonly auditArchive: AuditArchive;
  readonly analytics: Analytics;
  readonly console: OperatorConsole;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const context = new Context(this);
    const registry = props.registry;

    this.data = new Data(this, 'Data');
    const functionDefaults: HubFunctionDefaults = {
      projectRoot: props.projectRoot ?? PROJECT_ROOT,
      serviceName: props.serviceName ?? 'amhp-referral-hub',
      // Every table name, whatever the function's grants: `shared/config.ts` refuses to start
      // without all of them, and a name grants nothing.
      environment: this.data.environment,
      logEncryptionKey: this.data.key,
    };

    // The console's address exists once its distribution does, which is built after the API,
    // which needs the user pool: a lazy value defers reading it to synthesis. In the template
    // the people client depends on the distribution, which depends on the stage, authorizer
    // and pool, none of which depends on the client: no cycle.
    const consoleUrl = Lazy.string({ produce: () => this.console.url });
    this.identity = new Identity(this, 'Identity', {
      machineClients: registry.clients,
      peopleClientName: registry.peopleClientId,
      callbackUrls: [consoleUrl, ...(props.peopleCallbackUrls ?? context.list('peopleCallbackUrls') ?? [])],
      logoutUrls: [consoleUrl, ...(props.peopleLogoutUrls ?? context.list('peopleLogoutUrls') ?? [])],
      ...optional('domainPrefix', props.cognitoDomainPrefix ?? context.string('cognitoDomainPrefix')),
    });

    this.api = new Api(this, 'Api', {
      data: this.data,
      userPool: this.identity.userPool,
      functionDefaults,
      machineClientIds: registry.clients.map((client) => client.clientId),
      ...optional('requireApiKey', props.requireApiKey ?? context.boolean('requireApiKey')),
      ...optional('clientThrottleScale', props.clientThrottleScale ?? context.numberMap('clientThrottleScale')),
      ...optional('peopleThrottleScale', props.peopleThrottleScale ?? context.number('peopleThrottleScale')),
      ...optional('stageThrottleScale', props.stageThrottleScale ?? context.number('stageThrottleScale')),
      ...optional(
        'manageAccountLogRole',
        props.manageApiGatewayAccountRole ?? context.boolean('manageApiGatewayAccountRole'),
      ),
    });

    this.waf = new Waf(this, 'Waf', {
      stageArn: this.api.stage.stageArn,
      metricPrefix: this.stackName,
      logEncryptionKey: this.data.key,
      ...optional('rateLimitPer5Minutes', props.wafRateLimitPer5Minutes ?? context.number('wafRateLimit')),
    });

    // Each construct builds the functions the list says it builds (`builtBy`): the feedback
    // delivery schedule is Feedback's (longer timeout, optional fixed egress IP).
    this.schedules = new Schedules(this, 'Schedules', { data: this.data, functionDefaults });

    // Feedback to referrers: the hub stream's consumer and the webhook delivery sweep. Context
    // `feedbackFixedEgressIp=true` sends every webhook from one Elastic IP (VPC + NAT gateway).
    this.feedback = new Feedback(this, 'Feedback', {
      data: this.data,
      functionDefaults,
      ...optional('fixedEgressIp', context.boolean('feedbackFixedEgressIp')),
    });

    this.auditArchive = new AuditArchive(this, 'AuditArchive', {
      data: this.data,
      functionDefaults,
      ...optional('retentionDays', props.auditRetentionDays ?? context.number('auditRetentionDays')),
    });

    this.analytics = new Analytics(this, 'Analytics', { data: this.data, functionDefaults });
    // Extract routes read analytics data only: the export bucket too, never `hub` (ARCHITECTURE.md).
    for (const route of ROUTES as readonly RouteDef[]) {
      const fn = route.data === 'analytics' ? this.api.functions.get(route.id) : undefined;
      if (fn) this.analytics.grantExportRead(fn);
    }

    // The operator console and the API on one CloudFront origin.
    const consoleDomainNames = props.consoleDomainNames ?? context.list('consoleDomainName');
    const consoleCertificateArn = props.consoleCertificateArn ?? context.string('consoleCertificateArn');
    this.console = new OperatorConsole(this, 'Console', {
      data: this.data,
      restApi: this.api.restApi,
      identity: this.identity,
      apiKey: this.api.peopleApiKeyValue,
      ...optional('domainNames', consoleDomainNames),
      ...optional(
        'certificate',
        consoleCertificateArn
          ? acm.Certificate.fromCertificateArn(this, 'ConsoleCertificate', consoleCertificateArn)
          : undefined,
      ),
    });

    // Last: it watches every function the stack has built.
    const alarmEmail = props.alarmEmail ?? context.string('alarmEmail');
    this.monitoring = new Monitoring(this, 'Monitoring', {
      key: this.data.key,
      restApi: this.api.restApi,
      accessLogs: this.api.accessLogs,
      functions: [
        ...this.node
          .findAll()
          .filter((c): c is HubFunction => c instanceof HubFunction)
          .map((fn) => fn.function),
        // A throttled deployer fails the deploy; the alarm says why.
        this.console.deployer,
      ],
      streamConsumers: {
        operational: this.feedback.consumer.function,
        ...Object.fromEntries([...this.analytics.functions].map(([consumerId, fn]) => [consumerId, fn.function])),
        auditArchive: this.auditArchive.function.function,
      },
      failureQueues: {
        operational: this.feedback.failures,
        ...Object.fromEntries(this.analytics.failures),
        auditArchive: this.auditArchive.failures,
      },
      deliveryLogs: this.feedback.delivery.logGroup,
      operationalConsumerLogs: this.feedback.consumer.logGroup,
      ...optional('alarmEmail', alarmEmail),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Base URL of the API stage' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'TokenEndpoint', {
      value: this.identity.tokenEndpoint,
      description: 'OAuth 2.0 token endpoint (client credentials)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'SNS topic of every alarm (subscribe the on-call address)',
    });
    new CfnOutput(this, 'PeopleClientId', { value: this.identity.peopleClient.userPoolClientId });
    new CfnOutput(this, 'ConsoleUrl', {
      value: this.console.url,
      description: 'The operator console (people sign in through Cognito)',
    });
    // Cognito generates client ids; the AWS registry must map each partner system to its id.
    new CfnOutput(this, 'MachineClientIds', {
      value: this.toJsonString(
        Object.fromEntries([...this.identity.machineClients].map(([name, client]) => [name, client.userPoolClientId])),
      ),
      description: 'Registry clientId -> Cognito app client id',
    });
  }
}

/** Context values arrive as strings from `-c` and as JSON values from cdk.json. */
class Context {
  constructor(private readonly scope: Construct) {}

  private raw(key: string): unknown {
    return this.scope.node.tryGetContext(key);
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  }

  number(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0)
      throw new Error(`Context ${key} must be a positive integer, got ${value}`);
    return parsed;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`Context ${key} must be true or false, got ${String(value)}`);
  }

  /** A JSON object of positive numbers (`-c key='{"a":2}'` or an object in cdk.json). */
  numberMap(key: string): Record<string, number> | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`Context ${key} must be a JSON object of numbers`);
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => {
        if (typeof v !== 'number' || !(v > 0))
          throw new Error(`Context ${key}.${k} must be a positive number, got ${String(v)}`);
        return [k, v];
      }),
    );
  }

  list(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    return items.map((item) => item.trim()).filter(Boolean);
  }
}

/** `{ [key]: value }` when the value is set, so construct defaults apply otherwise. */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
