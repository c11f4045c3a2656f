/**
 * The REST API, built from the ONE route table (`functions/routes.ts`): one HubFunction and
 * one method per route, the Cognito authorizer with the route's scopes, per-method throttling,
 * gateway responses as problem+json (`functions/gateway-responses.ts`), JSON access logs
 * without bodies, ERROR-level execution logs in a group the stack owns (encrypted, retained for
 * a set time), and per-client limits: an API key and usage plan per partner system and one for
 * the people client, required on every authorized method by default.
 */
import { Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { GATEWAY_CONTENT_TYPE, GATEWAY_RESPONSES, gatewayResponseBody } from '../../functions/gateway-responses.js';
import { ROUTE_ACCESS, type DataAccess } from '../../functions/access.js';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { fullScope } from '../../shared/identity/roles.js';
import { ENV } from '../../shared/env.js';
import {
  DEFAULT_CLIENT_THROTTLE,
  DEFAULT_RATE_LIMIT_SCALES,
  PEOPLE_KEY_OWNER,
  scaledThrottle,
} from '../../shared/http/rate-limits.js';
import { HubFunction } from './hub-function.js';
import type { ApiProps } from './api-props.js';

export type { ApiProps } from './api-props.js';

/** Errors only; INFO would log every request, and data trace (never on) their bodies. */
const EXECUTION_LOGGING = apigateway.MethodLoggingLevel.ERROR;

export class Api extends Construct {
  readonly restApi: apigateway.RestApi;
  readonly stage: apigateway.Stage;
  readonly authorizer: apigateway.CognitoUserPoolsAuthorizer;
  /** Route functions by route id. */
  readonly functions: ReadonlyMap<string, HubFunction>;
  /**
   * The usage plan of each key owner (each partner system by registry `clientId`, and
   * PEOPLE_KEY_OWNER); partner systems with the same scale share one (limits apply per key).
   */
  readonly usagePlans: ReadonlyMap<string, apigateway.UsagePlan>;
  /** API keys by the same owners. */
  readonly apiKeys: ReadonlyMap<string, apigateway.IApiKey>;
  /**
   * The people client's key value, for the console's config.json. It is visible to anyone who
   * loads the console, and that is acceptable: an API key is a rate-limit identifier, not
   * authentication (every method still needs a valid Cognito token with its scope).
   */
  readonly peopleApiKeyValue: string;
  /** JSON access logs of the stage (one line per request, no bodies). */
  readonly accessLogs: logs.LogGroup;
  /** The stage's ERROR-level execution logs (the group API Gateway writes to by name). */
  readonly executionLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const routes = props.routes ?? (ROUTES as readonly RouteDef[]);
    const requireApiKey = props.requireApiKey ?? true;
    const limits = throttleScales(props);
    const manageAccountLogRole = props.manageAccountLogRole ?? true;

    const stageName = props.stageName ?? 'live';
    const logEncryption = props.functionDefaults.logEncryptionKey
      ? { encryptionKey: props.functionDefaults.logEncryptionKey }
      : {};
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_YEAR,
      ...logEncryption,
    });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'AMHP Referral Hub: Mental Health Act assessment referrals',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: manageAccountLogRole,
      // Other APIs in the account may rely on the role once it exists.
      ...(manageAccountLogRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName,
        metricsEnabled: true,
        // X-Ray off: it is billed per trace, and the correlation id already joins access
        // log, function log and audit record.
        tracingEnabled: false,
        // Execution logging at ERROR only (authorizer, integration and configuration failures),
        // never with data trace: at INFO with data trace it would write request and response
        // bodies (identifiable referrals) to CloudWatch.
        loggingLevel: EXECUTION_LOGGING,
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat(),
        // A method's own settings replace the stage's for that method: each repeats the logging.
        methodOptions: Object.fromEntries(
          routes.map((route) => [
            `${route.path}/${route.method}`,
            {
              ...stageMethodThrottle(route, limits.stage),
              loggingLevel: EXECUTION_LOGGING,
              dataTraceEnabled: false,
              metricsEnabled: true,
            },
          ]),
        ),
      },
    });
    this.stage = this.restApi.deploymentStage;
    // API Gateway writes execution logs to this group by name and would otherwise create it
    // itself: unencrypted and kept forever. Created first, with the key and a retention.
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      retention: props.executionLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      ...logEncryption,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage.node.addDependency(this.executionLogs);
    this.accessLogs = accessLogs;
    this.addNagSuppressions(routes);

    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
    });

    for (const def of GATEWAY_RESPONSES) {
      this.restApi.addGatewayResponse(`Response-${def.type}`, {
        type: apigateway.ResponseType.of(def.type),
        ...(def.status !== undefined ? { statusCode: String(def.status) } : {}),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': GATEWAY_CONTENT_TYPE, ...def.headers }).map(([name, value]) => [
            name,
            staticValue(value),
          ]),
        ),
        // API Gateway picks the template by content type; application/json is its default.
        templates: { 'application/json': JSON.stringify(gatewayResponseBody(def)) },
      });
    }

    const functions = new Map<string, HubFunction>();
    const methods: { route: RouteDef; method: apigateway.Method }[] = [];
    for (const route of routes) {
      const fn = new HubFunction(this, `Route-${route.id}`, {
        ...props.functionDefaults,
        // The caller's plan, for the RateLimit-Policy header (the figures CDK gives the usage plans below).
        environment: {
          ...props.functionDefaults.environment,
          [ENV.rateLimitScales]: JSON.stringify({ people: limits.people, clients: limits.clients }),
        },
        entry: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
      });
      fn.grantData(props.data, routeAccess(route), { resolvesCaller: route.auth !== 'public' });
      for (const secret of route.secrets ?? []) props.data.grantSecretRead(fn.function, secret);
      functions.set(route.id, fn);

      const integration = new apigateway.LambdaIntegration(fn.function, {
        // One permission per method, none for the console's test button.
        allowTestInvoke: false,
      });
      const resource = this.restApi.root.resourceForPath(route.path);
      const method = resource.addMethod(
        route.method,
        integration,
        route.auth === 'public'
          ? { authorizationType: apigateway.AuthorizationType.NONE, apiKeyRequired: false }
          : {
              authorizationType: apigateway.AuthorizationType.COGNITO,
              authorizer: this.authorizer,
              authorizationScopes: route.auth.scopes.map(fullScope),
              apiKeyRequired: requireApiKey,
            },
      );
      methods.push({ route, method });
      NagSuppressions.addResourceSuppressions(fn.function, [
        {
          id: 'HIPAA.Security-LambdaDLQ',
          reason:
            `Invoked synchronously by API Gateway (${route.method} ${route.path}): a failure is returned to ` +
            `the caller as a problem response, who retries; a function DLQ applies to asynchronous ` +
            `invocations only and would never receive anything.`,
        },
      ]);
      if (route.auth === 'public') {
        const publicReason =
          `${route.method} ${route.path} is public by design (${route.summary}): callers such as uptime ` +
          `monitors and developers reading the API description hold no token, and it returns no referral or ` +
          `person data. It is read-only, behind WAF, and throttled to ${route.throttle.rateLimit} rps on the ` +
          `stage.`;
        NagSuppressions.addResourceSuppressions(method, [
          { id: 'AwsSolutions-APIG4', reason: publicReason },
          { id: 'AwsSolutions-COG4', reason: publicReason },
        ]);
      }
    }
    this.functions = functions;

    // One plan per distinct set of limits: partner systems with the same scale share a plan and
    // the people client's shared key gets its own, larger figures. A plan's throttle, method
    // limits and quota apply to each API key on it separately (not to the plan as a whole), so
    // sharing a plan changes no client's limits and saves a resource per client (CloudFormation's
    // 500-resource limit). A plan's method limits are the route table's per-client throttles:
    // in AWS they apply to the key, i.e. to one client, as the local per-client limiter does.
    const authorized = methods.filter(({ route }) => route.auth !== 'public');
    const clientThrottle = props.clientThrottle ?? DEFAULT_CLIENT_THROTTLE;
    const usagePlans = new Map<string, apigateway.UsagePlan>();
    const apiKeys = new Map<string, apigateway.IApiKey>();
    const plansByScale = new Map<number, apigateway.UsagePlan>();
    const planFor = (scale: number, people: boolean): apigateway.UsagePlan => {
      if (!people && plansByScale.has(scale)) return plansByScale.get(scale)!;
      const name = people ? PEOPLE_KEY_OWNER : partnerPlanName(scale);
      const plan = this.restApi.addUsagePlan(`UsagePlan-${name}`, {
        name: `${Stack.of(this).stackName}-${name}`,
        description: people
          ? `Limits of the people client: one key shared by everyone using the console (${scale}x the ` +
            `per-client figures)`
          : `Limits of each partner system on it, per API key${scale === 1 ? '' : ` (${scale}x per-client figures)`}`,
        throttle: scaled(clientThrottle, scale),
        apiStages: [
          {
            api: this.restApi,
            stage: this.stage,
            throttle: authorized.map(({ route, method }) => ({ method, throttle: scaled(route.throttle, scale) })),
          },
        ],
      });
      if (!people) plansByScale.set(scale, plan);
      return plan;
    };
    // Browser-visible by design (config.json): a rate-limit key, not a credential. Unique per
    // stack (its id), so it names this deployment's people plan and nothing else.
    this.peopleApiKeyValue = `${PEOPLE_KEY_OWNER}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    const owners = [
      ...props.machineClientIds.map((id) => ({ owner: id, scale: limits.clients[id] ?? 1 })),
      { owner: PEOPLE_KEY_OWNER, scale: limits.people },
    ];
    for (const { owner, scale } of owners) {
      const people = owner === PEOPLE_KEY_OWNER;
      const plan = planFor(scale, people);
      const key = this.restApi.addApiKey(`ApiKey-${owner}`, {
        apiKeyName: `${Stack.of(this).stackName}-${owner}`,
        description: people
          ? 'Usage-plan key of the people client (served to the console in config.json: a rate-limit key, not a secret)'
          : `Usage-plan key of ${owner}`,
        ...(people ? { value: this.peopleApiKeyValue } : {}),
      });
      plan.addApiKey(key);
      usagePlans.set(owner, plan);
      apiKeys.set(owner, key);
    }
    this.usagePlans = usagePlans;
    this.apiKeys = apiKeys;
  }

  /** cdk-nag findings on the API as a whole, each with why it does not apply or is accepted. */
  private addNagSuppressions(routes: readonly RouteDef[]): void {
    NagSuppressions.addResourceSuppressions(this.restApi, [
      {
        id: 'AwsSolutions-APIG2',
        reason:
          `Every body is validated by the handler against one strict zod schema per body (unknown keys, ` +
          `duplicate keys and __proto__ refused, 64 KB limit) across ${routes.length} routes. Gateway ` +
          `validation would duplicate those schemas in a weaker dialect and answer 400 before the handler's ` +
          `fixed precedence (401, 404, 400s, 422 ...), so a caller could learn about a resource before its ` +
          `tenancy check; path parameters are always present by construction.`,
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.stage, [
      {
        id: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
        reason:
          'Caching is off on purpose: responses are identifiable referral data filtered per caller ' +
          '(organisation, LSSA, role), and a stage cache keyed on the request would serve one tenant the ' +
          'response built for another; every read must also write its audit record, which a cache hit would ' +
          'skip.',
      },
      {
        id: 'HIPAA.Security-APIGWSSLEnabled',
        reason:
          'The check is for a client certificate towards HTTP backends. Every integration is a Lambda ' +
          'proxy (AWS_PROXY), invoked over the Lambda API with SigV4, so there is no backend endpoint to ' +
          'present a certificate to; clients reach the stage over TLS only.',
      },
      {
        id: 'HIPAA.Security-APIGWXrayEnabled',
        reason:
          'X-Ray is off by decision (billed per trace, and another store of request metadata). The ' +
          'audit-control purpose is met by the JSON access log, the function logs and the audit record, ' +
          'which carry the same correlation id, plus ERROR-level execution logs.',
      },
    ]);
    const accountRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (accountRole) {
      NagSuppressions.addResourceSuppressions(accountRole, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "The account-wide role API Gateway uses to write any API's access and execution logs (one per " +
            'account and region, assumed by apigateway.amazonaws.com only). ' +
            'AmazonAPIGatewayPushToCloudWatchLogs is the AWS managed policy for exactly that, and the log ' +
            'groups it writes are named by API Gateway.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
      ]);
    }
  }
}

// The plans' figures live in shared/http/rate-limits.ts: the RateLimit-Policy header reads them too.
export { PEOPLE_KEY_OWNER };
const scaled = scaledThrottle;

/** The shared usage plan of the partner systems at one scale: `partners`, or e.g. `partners-x3`. */
export const partnerPlanName = (scale: number): string => (scale === 1 ? 'partners' : `partners-x${scale}`);

/** The scales, checked: every plan must fit under the stage's safety net, or the net would be the real limit again. */
function throttleScales(props: ApiProps): { stage: number; people: number; clients: Readonly<Record<string, number>> } {
  const stage = props.stageThrottleScale ?? DEFAULT_RATE_LIMIT_SCALES.stage;
  const people = props.peopleThrottleScale ?? DEFAULT_RATE_LIMIT_SCALES.people;
  const clients = props.clientThrottleScale ?? {};
  for (const [name, scale] of [
    ['peopleThrottleScale', people],
    ...Object.entries(clients).map(([id, v]) => [`clientThrottleScale.${id}`, v] as const),
  ] as const) {
    if (!(Number(scale) > 0)) throw new Error(`${name} must be a positive number, got ${scale}`);
    if (Number(scale) > stage)
      throw new Error(
        `${name} (${scale}) is above stageThrottleScale (${stage}): the stage limit would cap that client ` +
          `below its plan`,
      );
  }
  for (const id of Object.keys(clients)) {
    if (!props.machineClientIds.includes(id))
      throw new Error(`clientThrottleScale names ${id}, which is not a registry client`);
  }
  return { stage, people, clients };
}

/** The stage's limit of one method: a safety net on authorized routes, the whole budget on public ones. */
const stageMethodThrottle = (
  route: RouteDef,
  stageScale: number,
): { throttlingRateLimit: number; throttlingBurstLimit: number } => {
  const t = route.auth === 'public' ? route.throttle : scaled(route.throttle, stageScale);
  return { throttlingRateLimit: t.rateLimit, throttlingBurstLimit: t.burstLimit };
};

/** A route's declaration in functions/access.ts (a route missing there, e.g. a test's, fails the synth). */
const routeAccess = (route: RouteDef): DataAccess => {
  const access = (ROUTE_ACCESS as Record<string, DataAccess | undefined>)[route.id];
  if (!access) throw new Error(`Route ${route.id} declares no data access in functions/access.ts`);
  return access;
};

/** API Gateway takes static header values in single quotes. */
const staticValue = (value: string): string => {
  if (value.includes("'")) throw new Error(`Header value ${value} cannot be a static gateway response value`);
  return `'${value}'`;
};

/**
 * Who called what, how it ended and how long it took: no bodies, no query strings, no
 * tokens. `resourcePath` is the route template (`/v1/amhps/{amhpId}`), not the concrete path.
 */
const accessLogFormat = (): apigateway.AccessLogFormat => {
  const F = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: F.contextRequestId(),
      extendedRequestId: F.contextExtendedRequestId(),
      requestTime: F.contextRequestTime(),
      httpMethod: F.contextHttpMethod(),
      resourcePath: F.contextResourcePath(),
      status: F.contextStatus(),
      responseLength: F.contextResponseLength(),
      responseLatency: F.contextResponseLatency(),
      integrationLatency: F.contextIntegrationLatency(),
      errorType: F.contextErrorResponseType(),
      sourceIp: F.contextIdentitySourceIp(),
      userAgent: F.contextIdentityUserAgent(),
      clientId: F.contextAuthorizerClaims('client_id'),
      sub: F.contextAuthorizerClaims('sub'),
      apiKeyId: F.contextIdentityApiKeyId(),
      wafStatus: F.contextWafStatus(),
      wafResponseCode: F.contextWafResponseCode(),
    }),
  );
};
