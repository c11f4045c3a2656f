/** hub-stack tests, security: see ./hub-stack.fixture.ts for what they run against. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../functions/schedules.js';
import { fullScope, RESOURCE_SERVER, ROLE_SCOPES, ROLES, SCOPES } from '../../shared/identity/roles.js';
import { expectTlsOnly, registry, routes, template, resourcesOf, only, tableLogicalId } from './hub-stack.fixture.js';
import { allRoleStatements, statementsByRole, statementsOfRole } from './synth.js';

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
    expect((server.Properties.Scopes as { ScopeName: string }[]).map((s) => s.ScopeName).sort()).toEqual(
      [...SCOPES].sort(),
    );
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
      [
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
      ].sort(),
    );
    const rate = rules.find((r) => r.Statement.RateBasedStatement);
    expect(rate?.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: expect.any(Number) });
    const custom = rate?.Action.Block.CustomResponse;
    expect(custom).toMatchObject({ ResponseCode: 429, CustomResponseBodyKey: expect.any(String) });
    const body = acl.Properties.CustomResponseBodies[custom.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toMatchObject({
      status: 429,
      type: expect.any(String),
      title: expect.any(String),
    });

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
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: expect.any(Number) } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({
            ServerSideEncryptionByDefault: expect.objectContaining({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
    });
    expectTlsOnly(bucketId);
  });

  it('reads the audit stream with explicit retries, bisecting, item failures and an encrypted on-failure queue', () => {
    const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
      (m) =>
        JSON.stringify(m.Properties.EventSourceArn) ===
        JSON.stringify({ 'Fn::GetAtt': [tableLogicalId('audit'), 'StreamArn'] }),
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
    const onAuditBucket = allRoleStatements<{ Action: string | string[]; Resource: unknown }>(template).filter(
      (s) => [s.Action].flat().some((a) => a.startsWith('s3:')) && JSON.stringify(s.Resource).includes(bucketId),
    );
    expect(onAuditBucket).toHaveLength(1);
    expect(onAuditBucket[0]!.Action).toBe('s3:PutObject');
    expect(JSON.stringify(onAuditBucket[0]!.Resource)).toContain('/audit/*');
  });
});

describe('outputs', () => {
  it('publishes the API URL, user pool id and token endpoint', () => {
    const outputs = template.findOutputs('*');
    for (const name of ['ApiUrl', 'UserPoolId', 'TokenEndpoint', 'MachineClientIds'])
      expect(outputs[name], name).toBeDefined();
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
    // Readers are roles: each role's statements from its inline policies and attached policies.
    const readers = [...statementsByRole(template).values()]
      .map((statements) => JSON.stringify(statements))
      .filter((json) => json.includes('secretsmanager:GetSecretValue') && json.includes(secretId));
    const expected = routes.filter((r) => r.secrets?.includes(routeSecret)).length;
    expect(expected).toBeGreaterThan(0);
    expect(readers).toHaveLength(expected);
  });
});

describe('analysts never touch identifiable data', () => {
  it('extract functions read `analytics`; on `hub` only registry items, never a referral', () => {
    const extractRoutes = routes.filter((r) => r.data === 'analytics');
    expect(extractRoutes.length).toBeGreaterThan(0);
    const hubTableId = Object.keys(resourcesOf('AWS::DynamoDB::Table')).find((id) => id.includes('HubTable'))!;
    const functions = resourcesOf('AWS::Lambda::Function');
    for (const route of extractRoutes) {
      const fnId = Object.keys(functions).find(
        (id) =>
          id.includes(`Route${route.id}`) ||
          id.includes(`Route-${route.id}`) ||
          id.toLowerCase().includes(route.id.toLowerCase()),
      )!;
      expect(fnId, route.id).toBeDefined();
      const role = JSON.stringify(functions[fnId]!.Properties.Role);
      type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
      const statements = statementsOfRole<Statement>(template, JSON.parse(role)['Fn::GetAtt'][0]);
      const onHub = statements.filter((st) => JSON.stringify(st.Resource).includes(hubTableId));
      expect(onHub.length, route.id).toBeGreaterThan(0);
      for (const st of onHub) {
        expect([st.Action].flat().sort(), route.id).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
        expect(JSON.stringify(st.Resource)).not.toContain('/index/');
        expect(st.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CLIENT#*', 'PERSON#*', 'ORG#*', 'CONFIG'] },
        });
      }
    }
  });
});
