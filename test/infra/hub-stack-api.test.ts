import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GATEWAY_CONTENT_TYPE, GATEWAY_RESPONSES, gatewayResponseBody } from '../../functions/gateway-responses.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { CONSUMERS } from '../../functions/consumers.js';
import { FUNCTIONS } from '../../functions/functions.js';
import { TABLE_ENV, TABLE_IDS, TABLES } from '../../shared/data/tables.js';
import { fullScope } from '../../shared/identity/roles.js';
import {
  type Resource,
  registry,
  routes,
  template,
  synth,
  resourcesOf,
  only,
  tableLogicalId,
  keySchema,
  projectionOf,
} from './hub-stack.fixture.js';
import { allRoleStatements } from './synth.js';
import { partnerPlanName } from '../../infra/constructs/api.js';

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
    const actions = allRoleStatements(template).flatMap((s) => [s.Action].flat());
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

  it(
    'one per route, per schedule, per stream consumer (the ' + 'audit archiver among them), plus the console deployer',
    () => {
      expect(functions()).toHaveLength(FUNCTIONS.length);
      expect(FUNCTIONS).toHaveLength(routes.length + SCHEDULES.length + CONSUMERS.length);
      expect(Object.keys(resourcesOf('AWS::Lambda::Function')).filter(isConsoleDeployer)).toHaveLength(1);
    },
  );

  it('all run nodejs22.x on arm64 with source maps, a service name and their own log group', () => {
    for (const fn of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'amhp-referral-hub' },
        },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('route, schedule and consumer functions carry every table name', () => {
    const withTables = functions().filter((fn) => fn.Properties.Environment.Variables[TABLE_ENV.hub]);
    // shared/config.ts refuses to start without every table name, whatever the grants.
    // All but the audit archiver, which sees stream records only (infra/constructs/audit.ts).
    expect(withTables).toHaveLength(
      routes.length + SCHEDULES.length + CONSUMERS.filter((c) => c.builtBy !== 'auditArchive').length,
    );
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

  it.each(routes.map((route) => [route.id, route] as const))(
    '%s has its method, authorization and function',
    (_id, route) => {
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
    },
  );

  it(
    'throttles each route on the stage (a 10x safety net on authorized routes, the whole budget on public ' +
      'ones) and logs access as JSON without bodies',
    () => {
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
      expect(stage.Properties).toMatchObject({
        TracingEnabled: false,
        AccessLogSetting: { DestinationArn: expect.anything() },
      });
      const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Record<string, string>;
      expect(format.requestId).toBe('$context.requestId');
      expect(Object.values(format).filter((v) => /\$input|body|\$context\.path\b|querystring/i.test(v))).toEqual([]);
    },
  );

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
          Object.entries({ 'Content-Type': GATEWAY_CONTENT_TYPE, ...def.headers }).map(([name, value]) => [
            `gatewayresponse.header.${name}`,
            `'${value}'`,
          ]),
        ),
      );
      expect(JSON.parse(props.ResponseTemplates['application/json'] as string)).toEqual(gatewayResponseBody(def));
    }
  });

  it("lets a referral body past WAF: the common set's 8 KB body rule only counts", () => {
    const acl = Object.values(resourcesOf('AWS::WAFv2::WebACL'))[0]!;
    const common = (
      acl.Properties.Rules as {
        Statement: { ManagedRuleGroupStatement?: { Name: string; RuleActionOverrides?: unknown[] } };
      }[]
    )
      .map((r) => r.Statement.ManagedRuleGroupStatement)
      .find((m) => m?.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  /** The one resource whose name property is `<stack>-<name>`. */
  const named = (resources: Record<string, Resource>, property: string, name: string): [string, Resource] =>
    only(
      Object.fromEntries(Object.entries(resources).filter(([, r]) => `${r.Properties[property]}`.endsWith(`-${name}`))),
    );
  const methodsOf = (t: Template) =>
    Object.values(t.findResources('AWS::ApiGateway::Method') as Record<string, Resource>);
  const keyRequiredByAuth = (t: Template, type: string) =>
    methodsOf(t)
      .filter((m) => m.Properties.AuthorizationType === type)
      .map((m) => m.Properties.ApiKeyRequired);

  it(
    'requires an API key on every authorized method by default (per-client limits apply only where a key is ' +
      'required); public methods never',
    () => {
      expect(keyRequiredByAuth(template, 'COGNITO_USER_POOLS')).toEqual(
        routes.filter((r) => r.auth !== 'public').map(() => true),
      );
      expect(keyRequiredByAuth(template, 'NONE')).toEqual(routes.filter((r) => r.auth === 'public').map(() => false));
    },
  );

  it(
    'with requireApiKey=false (context), no method requires ' + 'a key; the keys and plans stay, ready to switch on',
    () => {
      const relaxed = synth('HubNoKeys', { requireApiKey: false });
      for (const method of methodsOf(relaxed)) expect(method.Properties.ApiKeyRequired).toBe(false);
      // One plan for the partner systems (all at scale 1 here) and one for the people client.
      relaxed.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
      relaxed.resourceCountIs('AWS::ApiGateway::ApiKey', registry.clients.length + 1);
      relaxed.resourceCountIs('AWS::ApiGateway::UsagePlanKey', registry.clients.length + 1);
    },
  );

  it('gives each partner system and the people client an API key of its own, on a plan with per-key limits', () => {
    const plans = resourcesOf('AWS::ApiGateway::UsagePlan');
    const keys = resourcesOf('AWS::ApiGateway::ApiKey');
    const planKeys = Object.values(resourcesOf('AWS::ApiGateway::UsagePlanKey'));
    // A usage plan's throttle and method limits apply to each API key on it separately, so
    // partner systems with the same limits share one plan (fewer resources, same limits each);
    // the people client's key, with its larger figures, has a plan of its own.
    const owners = [
      ...registry.clients.map((c) => ({ owner: c.clientId, plan: partnerPlanName(1), scale: 1 })),
      { owner: 'people-console', plan: 'people-console', scale: 5 },
    ];
    expect(Object.keys(plans)).toHaveLength(2);
    expect(Object.keys(keys)).toHaveLength(owners.length);
    expect(planKeys).toHaveLength(owners.length);
    const keysOnPlan = new Map<string, string[]>();
    for (const { owner, plan: planName, scale } of owners) {
      const [planId, plan] = named(plans, 'UsagePlanName', planName);
      const [keyId] = named(keys, 'Name', owner);
      // The key is on exactly one plan, this one: its limits are the key's (i.e. this one client's).
      expect(planKeys.filter((k) => k.Properties.KeyId.Ref === keyId).map((k) => k.Properties)).toEqual([
        { KeyId: { Ref: keyId }, KeyType: 'API_KEY', UsagePlanId: { Ref: planId } },
      ]);
      keysOnPlan.set(planId, [...(keysOnPlan.get(planId) ?? []), keyId]);
      expect(plan.Properties.Throttle).toEqual({ RateLimit: 50 * scale, BurstLimit: 100 * scale });
      const [stage] = plan.Properties.ApiStages as {
        Throttle: Record<string, { RateLimit: number; BurstLimit: number }>;
      }[];
      const authorized = routes.filter((r) => r.auth !== 'public');
      expect(Object.keys(stage!.Throttle).sort()).toEqual(authorized.map((r) => `${r.path}/${r.method}`).sort());
      for (const route of authorized) {
        expect(stage!.Throttle[`${route.path}/${route.method}`], `${owner} ${route.id}`).toEqual({
          RateLimit: route.throttle.rateLimit * scale,
          BurstLimit: route.throttle.burstLimit * scale,
        });
      }
    }
    // The people key is alone on its plan; every partner key is on the partners' plan.
    expect([...keysOnPlan.values()].map((k) => k.length).sort((a, b) => a - b)).toEqual([1, registry.clients.length]);
    for (const key of planKeys) {
      expect(keysOnPlan.get(key.Properties.UsagePlanId.Ref), 'plan key, no owner').toContain(key.Properties.KeyId.Ref);
    }
    // The people key's value is set (config.json serves it to the console); partners' are generated.
    expect(
      Object.values(keys)
        .filter((k) => k.Properties.Value !== undefined)
        .map((k) => k.Properties.Name),
    ).toEqual([expect.stringMatching(/-people-console$/)]);
  });

  it(
    'one partner system can get other limits (clientThrottleScale); ' + 'a scale above the stage safety net is refused',
    () => {
      const client = registry.clients[0]!.clientId;
      const scaledT = synth('HubScaled', { clientThrottleScale: { [client]: 3 } });
      const scaledPlans = scaledT.findResources('AWS::ApiGateway::UsagePlan') as Record<string, Resource>;
      const planOf = (name: string) => named(scaledPlans, 'UsagePlanName', name);
      const [planId, plan] = planOf(partnerPlanName(3));
      expect(plan.Properties.Throttle).toEqual({ RateLimit: 150, BurstLimit: 300 });
      // That client's key alone moves to the plan at its scale; the others keep the shared one.
      const keys = scaledT.findResources('AWS::ApiGateway::ApiKey') as Record<string, Resource>;
      const [keyId] = named(keys, 'Name', client);
      const onPlan = (id: string) =>
        Object.values(scaledT.findResources('AWS::ApiGateway::UsagePlanKey') as Record<string, Resource>)
          .filter((k) => k.Properties.UsagePlanId.Ref === id)
          .map((k) => k.Properties.KeyId.Ref as string);
      expect(onPlan(planId)).toEqual([keyId]);
      const [sharedId, shared] = planOf(partnerPlanName(1));
      expect(shared.Properties.Throttle).toEqual({ RateLimit: 50, BurstLimit: 100 });
      expect(onPlan(sharedId)).toHaveLength(registry.clients.length - 1);
      expect(() => synth('HubOverNet', { clientThrottleScale: { [client]: 11 } })).toThrow(/above stageThrottleScale/);
      expect(() => synth('HubUnknownClient', { clientThrottleScale: { 'no-such-client': 2 } })).toThrow(
        /not a registry client/,
      );
    },
  );
});
