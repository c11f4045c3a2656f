/**
 * Template assertions for the CDK stack. Every expectation iterates the single sources of
 * truth (tables, routes, gateway responses, schedules, registry, scopes), so adding a route or
 * an index is covered without touching this file.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`) and handlers are stubbed in a temporary
 * project root: these tests check the infrastructure, not the handler code, and do not depend
 * on every handler existing yet.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_CONTENT_TYPE, GATEWAY_RESPONSES, gatewayResponseBody } from '../../functions/gateway-responses.js';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { CONSUMERS } from '../../functions/consumers.js';
import { AUDIT_ARCHIVE_HANDLER } from '../../infra/constructs/audit.js';
import { HubStack, PROJECT_ROOT, type HubStackProps } from '../../infra/hub-stack.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { TABLE_ENV, TABLE_IDS, TABLES, type IndexDef, type KeyDef, type TableId } from '../../shared/data/tables.js';
import { fullScope, RESOURCE_SERVER, ROLE_SCOPES, ROLES, SCOPES } from '../../shared/identity/roles.js';
import { ATHENA_RESULTS_PREFIX, FACTS_LATEST_VIEW, FACTS_PREFIX, FACTS_TABLE } from '../../infra/constructs/analytics.js';
import { DIMENSIONS, INTERVALS } from '../../shared/deidentify/facts.js';
import { FEEDBACK_CONSUMER_ID, FEEDBACK_DELIVERY_SCHEDULE_ID, FEEDBACK_KMS_KEY_ENV, FEEDBACK_SEALING_ROUTE_ID } from '../../infra/constructs/feedback.js';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

const registry = loadRegistry();
const routes = ROUTES as readonly RouteDef[];
const handlerEntries = [...routes.map((r) => r.handler), ...SCHEDULES.map((s) => s.handler), ...CONSUMERS.map((c) => c.handler), AUDIT_ARCHIVE_HANDLER];

let root: string;
let template: Template;

const synth = (id: string, props: Partial<Omit<HubStackProps, 'projectRoot'>> = {}): Template => {
  // The feature flags of cdk.json, so the template is the one `cdk synth` would produce.
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  const app = new App({
    outdir: path.join(root, `cdk.out-${id}`),
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
  });
  return Template.fromStack(new HubStack(app, id, { env: { region: 'eu-west-2' }, ...props, registry: props.registry ?? loadRegistry(), projectRoot: root }));
};

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hub-stack-test-'));
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  for (const entry of handlerEntries) {
    mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    writeFileSync(path.join(root, entry), 'export const handler = async () => undefined;\n');
  }
  template = synth('HubTest');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const resourcesOf = (type: string): Record<string, Resource> => template.findResources(type) as Record<string, Resource>;
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

const tableLogicalId = (tableId: TableId): string => {
  const ids = Object.keys(resourcesOf('AWS::DynamoDB::Table')).filter((id) => id.startsWith(`Data${pascal(tableId)}Table`));
  expect(ids, `table ${tableId}`).toHaveLength(1);
  return ids[0]!;
};

const keySchema = (partitionKey: KeyDef, sortKey?: KeyDef) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

const projectionOf = (index: IndexDef) =>
  index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
    : { ProjectionType: index.projection.type };

describe('data', () => {
  it('has exactly the tables of the definition', () => {
    expect(Object.keys(resourcesOf('AWS::DynamoDB::Table'))).toHaveLength(TABLE_IDS.length);
  });

  describe.each(TABLE_IDS)('table %s', (tableId) => {
    const def = TABLES[tableId];

    it('has the keys, every GSI with its projection, and the definition stream and TTL', () => {
      const table = resourcesOf('AWS::DynamoDB::Table')[tableLogicalId(tableId)]!;
      const props = table.Properties;
      expect(props.KeySchema).toEqual(keySchema(def.partitionKey, def.sortKey));
      const indexes = (props.GlobalSecondaryIndexes ?? []) as Record<string, unknown>[];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(def.indexes.map((i) => i.indexName).sort());
      for (const index of def.indexes) {
        expect(indexes.find((i) => i.IndexName === index.indexName)).toEqual({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, 'sortKey' in index ? index.sortKey : undefined),
          Projection: projectionOf(index),
        });
      }
      expect(props.StreamSpecification).toEqual('stream' in def ? { StreamViewType: def.stream } : undefined);
      expect(props.TimeToLiveSpecification).toEqual(
        'ttlAttribute' in def ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined,
      );
    });

    it('is on-demand, recoverable, protected, retained and encrypted with the key', () => {
      const table = resourcesOf('AWS::DynamoDB::Table')[tableLogicalId(tableId)]!;
      const [keyId] = only(resourcesOf('AWS::KMS::Key'));
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      });
    });

    it(`has ${'kinesisDestination' in def ? 'a' : 'no'} Kinesis streaming destination`, () => {
      const props = resourcesOf('AWS::DynamoDB::Table')[tableLogicalId(tableId)]!.Properties;
      if ('kinesisDestination' in def && def.kinesisDestination) {
        const [streamId] = only(resourcesOf('AWS::Kinesis::Stream'));
        expect(props.KinesisStreamSpecification).toEqual({ StreamArn: { 'Fn::GetAtt': [streamId, 'Arn'] } });
      } else {
        expect(props.KinesisStreamSpecification).toBeUndefined();
      }
    });
  });

  it('rotates the key and encrypts the Kinesis stream with it', () => {
    const [keyId] = only(resourcesOf('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
  });

  it('never grants Scan', () => {
    const actions = Object.values(resourcesOf('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat()),
    );
    expect(actions.filter((action) => /^dynamodb:(Scan|\*)$/.test(action))).toEqual([]);
  });
});

describe('functions', () => {
  // The Hub's own functions; the console's BucketDeployment function (AWS CDK's, Python) is
  // checked in console.test.ts.
  const isConsoleDeployer = (id: string) => id.startsWith('CustomCDKBucketDeployment');
  const functions = () =>
    Object.entries(resourcesOf('AWS::Lambda::Function'))
      .filter(([id]) => !isConsoleDeployer(id))
      .map(([, fn]) => fn);

  it('one per route, per schedule, per stream consumer, and the audit archiver (plus the console deployer)', () => {
    expect(functions()).toHaveLength(routes.length + SCHEDULES.length + 1 + CONSUMERS.length);
    expect(Object.keys(resourcesOf('AWS::Lambda::Function')).filter(isConsoleDeployer)).toHaveLength(1);
  });

  it('all run nodejs22.x on arm64 with source maps, a service name and their own log group', () => {
    for (const fn of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'amhp-referral-hub' } },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('route, schedule and consumer functions carry every table name', () => {
    const withTables = functions().filter((fn) => fn.Properties.Environment.Variables[TABLE_ENV.hub]);
    // shared/config.ts refuses to start without every table name, whatever the grants.
    expect(withTables).toHaveLength(routes.length + SCHEDULES.length + CONSUMERS.length);
    for (const fn of withTables) {
      for (const tableId of TABLE_IDS) {
        expect(fn.Properties.Environment.Variables[TABLE_ENV[tableId]]).toEqual({ Ref: tableLogicalId(tableId) });
      }
    }
  });

  it('log groups have a retention and are encrypted', () => {
    for (const group of Object.values(resourcesOf('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(group.Properties.KmsKeyId).toBeDefined();
    }
  });
});

describe('api', () => {
  /** Full path of each API Gateway resource, rebuilt from PathPart and ParentId. */
  const resourceIdsByPath = (): Map<string, string> => {
    const resources = resourcesOf('AWS::ApiGateway::Resource');
    const pathOf = (id: string): string => {
      const { ParentId, PathPart } = resources[id]!.Properties;
      return `${ParentId.Ref ? pathOf(ParentId.Ref) : ''}/${PathPart}`;
    };
    return new Map(Object.keys(resources).map((id) => [pathOf(id), id]));
  };

  it('has a Cognito user pool authorizer', () => {
    const [, authorizer] = only(resourcesOf('AWS::ApiGateway::Authorizer'));
    const [poolId] = only(resourcesOf('AWS::Cognito::UserPool'));
    expect(authorizer.Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [poolId, 'Arn'] }],
    });
  });

  it('has exactly one method per route', () => {
    expect(Object.keys(resourcesOf('AWS::ApiGateway::Method'))).toHaveLength(routes.length);
  });

  it.each(routes.map((route) => [route.id, route] as const))('%s has its method, authorization and function', (_id, route) => {
    const resourceId = resourceIdsByPath().get(route.path);
    expect(resourceId, route.path).toBeDefined();
    const matches = Object.values(resourcesOf('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === route.method && m.Properties.ResourceId?.Ref === resourceId,
    );
    expect(matches).toHaveLength(1);
    const method = matches[0]!.Properties;
    expect(method.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    if (route.auth === 'public') {
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.AuthorizationScopes).toBeUndefined();
    } else {
      const [authorizerId] = only(resourcesOf('AWS::ApiGateway::Authorizer'));
      expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(method.AuthorizerId).toEqual({ Ref: authorizerId });
      expect(method.AuthorizationScopes).toEqual(route.auth.scopes.map(fullScope));
    }
  });

  it('throttles each route on the stage (a 10x safety net on authorized routes, the whole budget on public ones) and logs access as JSON without bodies', () => {
    const [, stage] = only(resourcesOf('AWS::ApiGateway::Stage'));
    const settings = stage.Properties.MethodSettings as Record<string, unknown>[];
    for (const route of routes) {
      // Per-client limits live in the usage plans; the stage limit only caps the API as a whole.
      const scale = route.auth === 'public' ? 1 : 10;
      expect(settings).toContainEqual(
        expect.objectContaining({
          HttpMethod: route.method,
          ResourcePath: `/${route.path.replaceAll('/', '~1')}`,
          ThrottlingRateLimit: route.throttle.rateLimit * scale,
          ThrottlingBurstLimit: route.throttle.burstLimit * scale,
        }),
      );
    }
    expect(stage.Properties).toMatchObject({ TracingEnabled: false, AccessLogSetting: { DestinationArn: expect.anything() } });
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(Object.values(format).filter((v) => /\$input|body|\$context\.path\b|querystring/i.test(v))).toEqual([]);
  });

  it('answers every gateway response as problem+json with its status', () => {
    const responses = Object.values(resourcesOf('AWS::ApiGateway::GatewayResponse'));
    expect(responses).toHaveLength(GATEWAY_RESPONSES.length);
    for (const def of GATEWAY_RESPONSES) {
      const response = responses.find((r) => r.Properties.ResponseType === def.type);
      expect(response, def.type).toBeDefined();
      const props = response!.Properties;
      // Catch-alls keep API Gateway's own status; every specific type names its own.
      expect(props.StatusCode).toBe(def.status === undefined ? undefined : String(def.status));
      expect(props.ResponseParameters).toEqual(
        Object.fromEntries(
          Object.entries({ 'Content-Type': GATEWAY_CONTENT_TYPE, ...def.headers }).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`]),
        ),
      );
      expect(JSON.parse(props.ResponseTemplates['application/json'] as string)).toEqual(gatewayResponseBody(def));
    }
  });

  it("lets a referral body past WAF: the common set's 8 KB body rule only counts", () => {
    const acl = Object.values(resourcesOf('AWS::WAFv2::WebACL'))[0]!;
    const common = (acl.Properties.Rules as { Statement: { ManagedRuleGroupStatement?: { Name: string; RuleActionOverrides?: unknown[] } } }[])
      .map((r) => r.Statement.ManagedRuleGroupStatement)
      .find((m) => m?.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  const methodsOf = (t: Template) => Object.values(t.findResources('AWS::ApiGateway::Method') as Record<string, Resource>);
  const keyRequiredByAuth = (t: Template, type: string) => methodsOf(t).filter((m) => m.Properties.AuthorizationType === type).map((m) => m.Properties.ApiKeyRequired);

  it('requires an API key on every authorized method by default (per-client limits apply only where a key is required); public methods never', () => {
    expect(keyRequiredByAuth(template, 'COGNITO_USER_POOLS')).toEqual(routes.filter((r) => r.auth !== 'public').map(() => true));
    expect(keyRequiredByAuth(template, 'NONE')).toEqual(routes.filter((r) => r.auth === 'public').map(() => false));
  });

  it('with requireApiKey=false (context), no method requires a key; the keys and plans stay, ready to switch on', () => {
    const relaxed = synth('HubNoKeys', { requireApiKey: false });
    for (const method of methodsOf(relaxed)) expect(method.Properties.ApiKeyRequired).toBe(false);
    relaxed.resourceCountIs('AWS::ApiGateway::UsagePlan', registry.clients.length + 1);
    relaxed.resourceCountIs('AWS::ApiGateway::UsagePlanKey', registry.clients.length + 1);
  });

  it('gives each partner system and the people client an API key on a usage plan of its own, with the route table as per-client method limits', () => {
    const plans = resourcesOf('AWS::ApiGateway::UsagePlan');
    const keys = resourcesOf('AWS::ApiGateway::ApiKey');
    const planKeys = Object.values(resourcesOf('AWS::ApiGateway::UsagePlanKey'));
    const owners = [...registry.clients.map((c) => ({ owner: c.clientId, scale: 1 })), { owner: 'people-console', scale: 5 }];
    expect(Object.keys(plans)).toHaveLength(owners.length);
    expect(Object.keys(keys)).toHaveLength(owners.length);
    expect(planKeys).toHaveLength(owners.length);
    for (const { owner, scale } of owners) {
      const [planId, plan] = only(Object.fromEntries(Object.entries(plans).filter(([, p]) => String(p.Properties.UsagePlanName).endsWith(`-${owner}`))));
      const [keyId] = only(Object.fromEntries(Object.entries(keys).filter(([, k]) => String(k.Properties.Name).endsWith(`-${owner}`))));
      // Exactly one key on the plan: the plan's limits are this one client's.
      expect(planKeys.filter((k) => k.Properties.UsagePlanId.Ref === planId).map((k) => k.Properties)).toEqual([{ KeyId: { Ref: keyId }, KeyType: 'API_KEY', UsagePlanId: { Ref: planId } }]);
      expect(plan.Properties.Throttle).toEqual({ RateLimit: 50 * scale, BurstLimit: 100 * scale });
      const [stage] = plan.Properties.ApiStages as { Throttle: Record<string, { RateLimit: number; BurstLimit: number }> }[];
      const authorized = routes.filter((r) => r.auth !== 'public');
      expect(Object.keys(stage!.Throttle).sort()).toEqual(authorized.map((r) => `${r.path}/${r.method}`).sort());
      for (const route of authorized) {
        expect(stage!.Throttle[`${route.path}/${route.method}`], `${owner} ${route.id}`).toEqual({
          RateLimit: route.throttle.rateLimit * scale,
          BurstLimit: route.throttle.burstLimit * scale,
        });
      }
    }
    // The people key's value is set (config.json serves it to the console); partners' are generated.
    expect(Object.values(keys).filter((k) => k.Properties.Value !== undefined).map((k) => k.Properties.Name)).toEqual([
      expect.stringMatching(/-people-console$/),
    ]);
  });

  it('one partner system can get other limits (clientThrottleScale); a scale above the stage safety net is refused', () => {
    const client = registry.clients[0]!.clientId;
    const scaledT = synth('HubScaled', { clientThrottleScale: { [client]: 3 } });
    const plan = Object.values(scaledT.findResources('AWS::ApiGateway::UsagePlan') as Record<string, Resource>).find((p) =>
      String(p.Properties.UsagePlanName).endsWith(`-${client}`),
    )!;
    expect(plan.Properties.Throttle).toEqual({ RateLimit: 150, BurstLimit: 300 });
    expect(() => synth('HubOverNet', { clientThrottleScale: { [client]: 11 } })).toThrow(/above stageThrottleScale/);
    expect(() => synth('HubUnknownClient', { clientThrottleScale: { 'no-such-client': 2 } })).toThrow(/not a registry client/);
  });
});

describe('identity', () => {
  const clients = () => Object.values(resourcesOf('AWS::Cognito::UserPoolClient'));

  it('has a pool without self sign-up, with MFA, and a resource server with every scope', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      DeletionProtection: 'ACTIVE',
    });
    const [, server] = only(resourcesOf('AWS::Cognito::UserPoolResourceServer'));
    expect(server.Properties.Identifier).toBe(RESOURCE_SERVER);
    expect((server.Properties.Scopes as { ScopeName: string }[]).map((s) => s.ScopeName).sort()).toEqual([...SCOPES].sort());
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it.each(registry.clients.map((client) => [client.clientId, client] as const))(
    'machine client %s: client credentials with its role scopes plus extra scopes',
    (_id, client) => {
      const matches = clients().filter((c) => c.Properties.ClientName === client.clientId);
      expect(matches).toHaveLength(1);
      const props = matches[0]!.Properties;
      expect(props.AllowedOAuthFlows).toEqual(['client_credentials']);
      expect(props.GenerateSecret).toBe(true);
      expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
      expect(props.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
      const expected = [...new Set([...ROLE_SCOPES[client.role], ...client.extraScopes])].map(fullScope).sort();
      expect([...(props.AllowedOAuthScopes as string[])].sort()).toEqual(expected);
    },
  );

  it('has one people client: authorization code, no secret, every role scope but no extra scopes', () => {
    const matches = clients().filter((c) => c.Properties.ClientName === registry.peopleClientId);
    expect(matches).toHaveLength(1);
    const props = matches[0]!.Properties;
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.GenerateSecret).toBe(false);
    expect(props.CallbackURLs.length).toBeGreaterThan(0);
    const scopes = props.AllowedOAuthScopes as string[];
    for (const scope of new Set(ROLES.flatMap((role) => ROLE_SCOPES[role]))) expect(scopes).toContain(fullScope(scope));
    expect(scopes).not.toContain(fullScope('extracts.records'));
    expect(clients()).toHaveLength(registry.clients.length + 1);
  });
});

describe('waf', () => {
  it('has managed rule groups, a per-IP rate rule with a problem body, and guards the stage', () => {
    const [aclId, acl] = only(resourcesOf('AWS::WAFv2::WebACL'));
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules = acl.Properties.Rules as Record<string, any>[];
    const managed = rules.map((r) => r.Statement.ManagedRuleGroupStatement).filter(Boolean);
    expect(managed.map((m: { Name: string }) => m.Name).sort()).toEqual(
      ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].sort(),
    );
    const rate = rules.find((r) => r.Statement.RateBasedStatement);
    expect(rate?.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: expect.any(Number) });
    const custom = rate?.Action.Block.CustomResponse;
    expect(custom).toMatchObject({ ResponseCode: 429, CustomResponseBodyKey: expect.any(String) });
    const body = acl.Properties.CustomResponseBodies[custom.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toMatchObject({ status: 429, type: expect.any(String), title: expect.any(String) });

    const [, association] = only(resourcesOf('AWS::WAFv2::WebACLAssociation'));
    const [stageId] = only(resourcesOf('AWS::ApiGateway::Stage'));
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(stageId);
  });
});

describe('schedules', () => {
  it.each(SCHEDULES.map((def) => [def.id, def] as const))('%s runs on its EventBridge schedule', (_id, def) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: def.expression,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } })],
    });
  });

  it('one rule per schedule, with rate(1 minute) among them', () => {
    const rules = Object.values(resourcesOf('AWS::Events::Rule'));
    expect(rules).toHaveLength(SCHEDULES.length);
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toContain('rate(1 minute)');
  });
});

describe('audit archive', () => {
  it('is an Object Lock bucket in COMPLIANCE mode, versioned, private, TLS-only and KMS-encrypted', () => {
    const buckets = Object.entries(resourcesOf('AWS::S3::Bucket')).filter(([, b]) => b.Properties.ObjectLockEnabled);
    expect(buckets).toHaveLength(1);
    const [bucketId, bucket] = buckets[0]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: expect.any(Number) } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.objectContaining({ ServerSideEncryptionByDefault: expect.objectContaining({ SSEAlgorithm: 'aws:kms' }) })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('reads the audit stream with explicit retries, bisecting, item failures and an encrypted on-failure queue', () => {
    const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
      (m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [tableLogicalId('audit'), 'StreamArn'] }),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: expect.any(Number),
      MaximumRecordAgeInSeconds: expect.any(Number),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
    const queueId = mappings[0]!.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(resourcesOf('AWS::SQS::Queue')[queueId]!.Properties.KmsMasterKeyId).toBeDefined();
  });

  it('lets only the archiver write the write-once bucket: put under its prefix, nothing else', () => {
    const [bucketId] = Object.entries(resourcesOf('AWS::S3::Bucket')).find(([, b]) => b.Properties.ObjectLockEnabled)!;
    const onAuditBucket = Object.values(resourcesOf('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
      .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')) && JSON.stringify(s.Resource).includes(bucketId));
    expect(onAuditBucket).toHaveLength(1);
    expect(onAuditBucket[0]!.Action).toBe('s3:PutObject');
    expect(JSON.stringify(onAuditBucket[0]!.Resource)).toContain('/audit/*');
  });
});

describe('outputs', () => {
  it('publishes the API URL, user pool id and token endpoint', () => {
    const outputs = template.findOutputs('*');
    for (const name of ['ApiUrl', 'UserPoolId', 'TokenEndpoint', 'MachineClientIds']) expect(outputs[name], name).toBeDefined();
    expect(JSON.stringify(outputs.TokenEndpoint!.Value)).toContain('/oauth2/token');
  });
});

describe('secrets', () => {
  it.each([
    ['PersonMatchKey', 'personMatchKey'],
    ['CursorKey', 'cursorKey'],
  ] as const)('keeps the %s in Secrets Manager, readable only by routes that name it', (logicalName, routeSecret) => {
    const secrets = Object.entries(resourcesOf('AWS::SecretsManager::Secret'));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const [secretId, secret] = secrets.find(([id]) => id.includes(logicalName))!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties.KmsKeyId).toBeDefined();
    const readers = Object.values(resourcesOf('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('secretsmanager:GetSecretValue') && JSON.stringify(policy.Properties.PolicyDocument).includes(secretId),
    );
    const expected = routes.filter((r) => r.secrets?.includes(routeSecret)).length;
    expect(expected).toBeGreaterThan(0);
    expect(readers).toHaveLength(expected);
  });
});

describe('analysts never touch identifiable data', () => {
  it("extract functions read `analytics`; on `hub` only registry items, never a referral", () => {
    const extractRoutes = routes.filter((r) => r.data === 'analytics');
    expect(extractRoutes.length).toBeGreaterThan(0);
    const hubTableId = Object.keys(resourcesOf('AWS::DynamoDB::Table')).find((id) => id.includes('HubTable'))!;
    const functions = resourcesOf('AWS::Lambda::Function');
    const policies = Object.values(resourcesOf('AWS::IAM::Policy'));
    for (const route of extractRoutes) {
      const fnId = Object.keys(functions).find((id) => id.includes(`Route${route.id}`) || id.includes(`Route-${route.id}`) || id.toLowerCase().includes(route.id.toLowerCase()))!;
      expect(fnId, route.id).toBeDefined();
      const role = JSON.stringify(functions[fnId]!.Properties.Role);
      const mine = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes(JSON.parse(role)['Fn::GetAtt'][0]));
      const statements = mine.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
      const onHub = statements.filter((st) => JSON.stringify(st.Resource).includes(hubTableId));
      expect(onHub.length, route.id).toBeGreaterThan(0);
      for (const st of onHub) {
        expect([st.Action].flat().sort(), route.id).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
        expect(JSON.stringify(st.Resource)).not.toContain('/index/');
        expect(st.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CLIENT#*', 'PERSON#*', 'ORG#*', 'CONFIG'] } });
      }
    }
  });
});

// Appended with the analytics feed; ES imports are hoisted, so they apply file-wide (move them up freely).

describe('analytics feed', () => {
  const kinesisConsumers = CONSUMERS.filter((c) => c.source === 'kinesis');
  // Runs while the file is collected, before the top-level beforeAll stubs the handlers.

  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
  const streamArn = () => ({ 'Fn::GetAtt': [only(resourcesOf('AWS::Kinesis::Stream'))[0], 'Arn'] });
  const mappingOf = (handler: string) => {
    const functions = resourcesOf('AWS::Lambda::Function');
    const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
      (m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify(streamArn()),
    );
    const consumerIndex = kinesisConsumers.findIndex((c) => c.handler === handler);
    expect(mappings).toHaveLength(kinesisConsumers.length);
    const mapping = mappings.find((m) => String(functions[m.Properties.FunctionName.Ref]?.Properties.Description ?? '').includes(` ${kinesisConsumers[consumerIndex]!.id}:`));
    expect(mapping, handler).toBeDefined();
    return { mapping: mapping!, fn: functions[mapping!.Properties.FunctionName.Ref]! };
  };
  const statementsOfRole = (fn: Resource): Statement[] => {
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
    return Object.values(resourcesOf('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const exportBucket = (): [string, Resource] => {
    const buckets = Object.entries(resourcesOf('AWS::S3::Bucket')).filter(([id]) => id.startsWith('AnalyticsExportBucket'));
    expect(buckets).toHaveLength(1);
    return buckets[0]!;
  };

  it.each(kinesisConsumers.map((c) => [c.id, c] as const))(
    '%s reads the Kinesis destination with explicit retries, record age, bisecting, item failures, filters and an encrypted on-failure queue',
    (_id, def) => {
      const { mapping } = mappingOf(def.handler);
      const props = mapping.Properties;
      expect(props).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: def.batchSize,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: def.maxAttempts,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
      // Explicit, and well inside the stream's 24 h retention.
      expect(props.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(props.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(12 * 3600);
      const queueId = props.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      expect(resourcesOf('AWS::SQS::Queue')[queueId]!.Properties.KmsMasterKeyId).toBeDefined();
      // Lambda filters on the decoded JSON the table's Kinesis destination writes.
      const patterns = (props.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
      expect(patterns).toEqual([{ data: { dynamodb: { Keys: { PK: { S: def.pkPrefixes.map((prefix) => ({ prefix })) } } } } }]);
    },
  );

  it.each(kinesisConsumers.map((c) => [c.id, c] as const))('%s has no access to `hub` as a table: stream reads only', (_id, def) => {
    const { fn } = mappingOf(def.handler);
    const statements = statementsOfRole(fn);
    const hubTableId = tableLogicalId('hub');
    expect(statements.filter((s) => JSON.stringify(s.Resource).includes(hubTableId))).toEqual([]);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const s of dynamo) expect(JSON.stringify(s.Resource)).toContain(tableLogicalId('analytics'));
    const onStream = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(streamArn()));
    expect(onStream.length).toBeGreaterThan(0);
    for (const s of onStream) for (const action of [s.Action].flat()) expect(action).toMatch(/^kinesis:(Describe|Get|List|SubscribeToShard)/);
    // Its secrets, no others; puts under the facts prefix only.
    const secretIds = Object.keys(resourcesOf('AWS::SecretsManager::Secret'));
    const readSecrets = secretIds.filter((id) => statements.some((s) => JSON.stringify(s.Resource).includes(id)));
    expect(readSecrets.length).toBe(def.secrets?.length ?? 0);
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => s.Action)).toEqual(['s3:PutObject']);
    expect(JSON.stringify(s3[0]!.Resource)).toContain(`/${FACTS_PREFIX}*`);
  });

  it('exports to a KMS-encrypted, versioned, private, TLS-only, retained bucket whose old versions expire', () => {
    const [keyId] = only(resourcesOf('AWS::KMS::Key'));
    const [bucketId, bucket] = exportBucket();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }),
        ],
      },
    });
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Record<string, any>[];
    expect(rules.find((r) => r.Prefix === FACTS_PREFIX)?.NoncurrentVersionExpiration?.NoncurrentDays).toBeGreaterThan(365);
    expect(rules.find((r) => r.Prefix === FACTS_PREFIX)?.ExpirationInDays).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('describes the facts in Glue with day partitions projected, so no crawler is needed', () => {
    const [, table] = only(resourcesOf('AWS::Glue::Table'));
    const [, database] = only(resourcesOf('AWS::Glue::Database'));
    const input = table.Properties.TableInput;
    expect(table.Properties.DatabaseName).toBe(database.Properties.DatabaseInput.Name);
    expect(input).toMatchObject({ Name: FACTS_TABLE, TableType: 'EXTERNAL_TABLE', PartitionKeys: [{ Name: 'received_day', Type: 'string' }] });
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.received_day.type': 'date',
      'projection.received_day.format': 'yyyy-MM-dd',
      'projection.received_day.range': expect.stringMatching(/^\d{4}-\d{2}-\d{2},NOW/),
    });
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(`/${FACTS_PREFIX}received_day=\${received_day}/`);
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(`/${FACTS_PREFIX}`);
    const columns = Object.fromEntries((input.StorageDescriptor.Columns as { Name: string; Type: string }[]).map((c) => [c.Name, c.Type]));
    expect(columns).toMatchObject({ factkey: 'string', changeseq: 'int', escalations: 'array<string>', breaches: 'array<string>' });
    expect(columns.dims).toBe(`struct<${DIMENSIONS.map((d) => `${d.toLowerCase()}:string`).join(',')}>`);
    expect(columns.intervals).toBe(`struct<${INTERVALS.map((i) => `${i.toLowerCase()}:int`).join(',')}>`);
  });

  it('has an Athena workgroup with enforced, KMS-encrypted results and a saved query creating facts_latest', () => {
    const [workGroupId, workGroup] = only(resourcesOf('AWS::Athena::WorkGroup'));
    const [bucketId] = exportBucket();
    expect(workGroup.Properties.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
    });
    const output = JSON.stringify(workGroup.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation);
    expect(output).toContain(bucketId);
    expect(output).toContain(ATHENA_RESULTS_PREFIX);
    const [, query] = only(resourcesOf('AWS::Athena::NamedQuery'));
    expect(query.Properties.WorkGroup).toBe(workGroup.Properties.Name);
    expect((query as Resource & { DependsOn?: string[] }).DependsOn).toContain(workGroupId);
    const sql = query.Properties.QueryString as string;
    expect(sql).toMatch(new RegExp(`^CREATE OR REPLACE VIEW ${FACTS_LATEST_VIEW} AS `));
    expect(sql).toContain(`FROM ${FACTS_TABLE} f`);
    expect(sql).toMatch(/row_number\(\) OVER \(PARTITION BY f\.factkey ORDER BY f\.changeseq DESC\)/);
    expect(sql).toMatch(/WHERE rn = 1$/);
  });

  it('lets extract functions read the export (facts prefix only), and write nothing to it', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    const [bucketId] = exportBucket();
    const extractRoutes = routes.filter((r) => r.data === 'analytics');
    expect(extractRoutes.length).toBeGreaterThan(0);
    for (const route of extractRoutes) {
      const fnId = Object.keys(functions).find((id) => id.includes(`Route${route.id}`))!;
      expect(fnId, route.id).toBeDefined();
      const s3 = statementsOfRole(functions[fnId]!).filter((s) => JSON.stringify(s.Resource).includes(bucketId));
      expect(s3.flatMap((s) => [s.Action].flat()).sort(), route.id).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(functions[fnId]!.Properties.Environment.Variables.EXPORT_BUCKET).toEqual({ Ref: bucketId });
    }
  });
});

// Appended with feedback to referrers; ES imports are hoisted, so they apply file-wide (move them up freely).

describe('feedback to referrers', () => {
  const operational = CONSUMERS.find((c) => c.id === FEEDBACK_CONSUMER_ID)!;
  const deliverySchedule = SCHEDULES.find((s) => s.id === FEEDBACK_DELIVERY_SCHEDULE_ID)!;
  // Runs while the file is collected, before the top-level beforeAll stubs the handlers.

  type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: Record<string, Record<string, string>> };
  const hubStreamArn = () => ({ 'Fn::GetAtt': [tableLogicalId('hub'), 'StreamArn'] });
  const hubMappings = (t: Template = template) =>
    Object.values(t.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>).filter(
      (m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify(hubStreamArn()),
    );
  const functionIds = (t: Template = template) => {
    const functions = t.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const consumer = hubMappings(t)[0]!.Properties.FunctionName.Ref as string;
    const rule = Object.values(t.findResources('AWS::Events::Rule') as Record<string, Resource>).find((r) => r.Properties.Description === deliverySchedule.description)!;
    const delivery = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    const sealer = Object.keys(functions).find((id) => id.includes(`Route${FEEDBACK_SEALING_ROUTE_ID}`))!;
    return { functions, consumer, delivery, sealer };
  };
  const statementsOf = (t: Template, fn: Resource): Statement[] => {
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
    return Object.values(t.findResources('AWS::IAM::Policy') as Record<string, Resource>)
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const synthWith = (id: string, context: Record<string, unknown>): Template => {
    const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    const app = new App({ outdir: path.join(root, `cdk.out-${id}`), context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
    return Template.fromStack(new HubStack(app, id, { env: { region: 'eu-west-2' }, registry: loadRegistry(), projectRoot: root }));
  };

  it('the operational consumer is the ONE reader of the hub stream: filtered, explicit retries and age, bisecting, item failures, encrypted on-failure queue', () => {
    const mappings = hubMappings();
    expect(mappings).toHaveLength(1);
    const props = mappings[0]!.Properties;
    expect(props).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: operational.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: expect.any(Number),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
    expect(props.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(props.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(12 * 3600);
    const queueId = props.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(resourcesOf('AWS::SQS::Queue')[queueId]!.Properties.KmsMasterKeyId).toBeDefined();
    const patterns = (props.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual(
      operational.pkPrefixes.map((prefix) => ({ eventName: ['INSERT'], dynamodb: { Keys: { PK: { S: [{ prefix }] }, SK: { S: [{ prefix: 'EVENT#' }] } } } })),
    );
  });

  it('the delivery sweep runs every minute with time for its 5-second attempts; both outlast an attempt', () => {
    const { functions, consumer, delivery } = functionIds();
    expect(deliverySchedule.expression).toBe('rate(1 minute)');
    template.hasResourceProperties('AWS::Events::Rule', { Description: deliverySchedule.description, ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    for (const id of [consumer, delivery]) expect(functions[id]!.Properties.Timeout).toBeGreaterThanOrEqual(30);
    // Built once: not also by the Schedules construct.
    const byDescription = Object.values(functions).filter((f) => f.Properties.Description === deliverySchedule.description);
    expect(byDescription).toHaveLength(1);
  });

  it('KMS: the sweep and the consumer may open webhook secrets, the create route may seal them, each bound to the encryption context; nobody else has the key ARN', () => {
    const { functions, consumer, delivery, sealer } = functionIds();
    const [keyId] = only(resourcesOf('AWS::KMS::Key'));
    const secretStatements = (fnId: string) =>
      statementsOf(template, functions[fnId]!).filter((s) => s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'] === 'feedback-webhook-secret');
    for (const id of [consumer, delivery]) {
      expect(secretStatements(id).flatMap((s) => [s.Action].flat())).toEqual(['kms:Decrypt']);
      expect(secretStatements(id)[0]!.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    expect(secretStatements(sealer).flatMap((s) => [s.Action].flat())).toEqual(['kms:Encrypt']);
    // DOMAIN §9: the alert channel is the same webhook: the safety sweep opens, the alert channel route seals.
    const safetySweep = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>).find((r) => r.Properties.Description === SCHEDULES.find((d) => d.id === 'safetySweep')!.description)!;
    const safetyOpener = safetySweep.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    const alertSealer = Object.keys(functions).find((id) => id.includes('RouteputAlertChannel'))!;
    expect(secretStatements(safetyOpener).flatMap((s) => [s.Action].flat())).toEqual(['kms:Decrypt']);
    expect(secretStatements(alertSealer).flatMap((s) => [s.Action].flat())).toEqual(['kms:Encrypt']);
    const withKeyArn = Object.keys(functions).filter((id) => functions[id]!.Properties.Environment?.Variables?.[FEEDBACK_KMS_KEY_ENV]);
    expect(withKeyArn.sort()).toEqual([consumer, delivery, sealer, safetyOpener, alertSealer].sort());
  });

  it('by default no VPC, NAT gateway or Elastic IP', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP']) expect(Object.keys(resourcesOf(type)), type).toHaveLength(0);
    for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) expect(fn.Properties.VpcConfig).toBeUndefined();
  });

  it('with feedbackFixedEgressIp, webhooks leave through one NAT gateway on a fixed Elastic IP, HTTPS only', () => {
    const fixed = synthWith('HubFixedEgress', { feedbackFixedEgressIp: 'true' });
    const [eipId] = Object.entries(fixed.findResources('AWS::EC2::EIP'))[0]!;
    expect(Object.keys(fixed.findResources('AWS::EC2::EIP'))).toHaveLength(1);
    const nats = Object.values(fixed.findResources('AWS::EC2::NatGateway') as Record<string, Resource>);
    expect(nats).toHaveLength(1);
    expect(nats[0]!.Properties.AllocationId).toEqual({ 'Fn::GetAtt': [eipId, 'AllocationId'] });
    fixed.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
    const { functions, consumer, delivery } = functionIds(fixed);
    const inVpc = Object.keys(functions).filter((id) => functions[id]!.Properties.VpcConfig);
    expect(inVpc.sort()).toEqual([consumer, delivery].sort());
    const sgId = functions[delivery]!.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0] as string;
    const sg = (fixed.findResources('AWS::EC2::SecurityGroup') as Record<string, Resource>)[sgId]!;
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const roleStatements = statementsOf(fixed, functions[delivery]!);
    expect(roleStatements.length).toBeGreaterThan(0);
  });
});
