import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../functions/schedules.js';
import { CONSUMERS } from '../../functions/consumers.js';
import {
  ATHENA_RESULTS_PREFIX,
  FACTS_LATEST_VIEW,
  FACTS_PREFIX,
  FACTS_TABLE,
} from '../../infra/constructs/analytics.js';
import { DIMENSIONS, INTERVALS } from '../../shared/deidentify/facts.js';
import {
  FEEDBACK_CONSUMER_ID,
  FEEDBACK_DELIVERY_SCHEDULE_ID,
  FEEDBACK_KMS_KEY_ENV,
  FEEDBACK_SEALING_ROUTE_ID,
} from '../../infra/constructs/feedback.js';
import {
  expectTlsOnly,
  type Resource,
  routes,
  synth,
  template,
  resourcesOf,
  only,
  tableLogicalId,
} from './hub-stack.fixture.js';
import { statementsOfRole as roleStatements } from './synth.js';

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
    const mapping = mappings.find((m) =>
      String(functions[m.Properties.FunctionName.Ref]?.Properties.Description ?? '').includes(
        ` ${kinesisConsumers[consumerIndex]!.id}:`,
      ),
    );
    expect(mapping, handler).toBeDefined();
    return { mapping: mapping!, fn: functions[mapping!.Properties.FunctionName.Ref]! };
  };
  const statementsOfRole = (fn: Resource): Statement[] =>
    roleStatements<Statement>(template, fn.Properties.Role['Fn::GetAtt'][0] as string);
  const exportBucket = (): [string, Resource] => {
    const buckets = Object.entries(resourcesOf('AWS::S3::Bucket')).filter(([id]) =>
      id.startsWith('AnalyticsExportBucket'),
    );
    expect(buckets).toHaveLength(1);
    return buckets[0]!;
  };

  it.each(kinesisConsumers.map((c) => [c.id, c] as const))(
    '%s reads the Kinesis destination with explicit retries, record age, bisecting, item failures, filters ' +
      'and an encrypted on-failure queue',
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
      expect(patterns).toEqual([
        { data: { dynamodb: { Keys: { PK: { S: def.pkPrefixes.map((prefix) => ({ prefix })) } } } } },
      ]);
    },
  );

  it.each(kinesisConsumers.map((c) => [c.id, c] as const))(
    '%s reads `hub` only as the stream, and of the table only organisation records',
    (_id, def) => {
      const { fn } = mappingOf(def.handler);
      const statements = statementsOfRole(fn);
      const hubTableId = tableLogicalId('hub');
      // The service's calendar is registry data on its organisation record (DOMAIN §7): GetItem on ORG#
      // partitions, by leading key, is all it may read of the table; no referral partition, no index.
      const onHub = statements.filter((s) => JSON.stringify(s.Resource).includes(hubTableId));
      for (const s of onHub) {
        expect([s.Action].flat()).toEqual(['dynamodb:GetItem']);
        expect(JSON.stringify(s.Resource)).not.toContain('/index/');
        expect(
          (s as { Condition?: Record<string, any> }).Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
        ).toEqual(['ORG#*']);
      }
      const dynamo = statements.filter(
        (s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')) && !onHub.includes(s),
      );
      expect(dynamo.length).toBeGreaterThan(0);
      for (const s of dynamo) expect(JSON.stringify(s.Resource)).toContain(tableLogicalId('analytics'));
      const onStream = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(streamArn()));
      expect(onStream.length).toBeGreaterThan(0);
      for (const s of onStream)
        for (const action of [s.Action].flat()) expect(action).toMatch(/^kinesis:(Describe|Get|List|SubscribeToShard)/);
      // Its secrets, no others; puts under the facts prefix only.
      const secretIds = Object.keys(resourcesOf('AWS::SecretsManager::Secret'));
      const readSecrets = secretIds.filter((id) => statements.some((s) => JSON.stringify(s.Resource).includes(id)));
      expect(readSecrets.length).toBe(def.secrets?.length ?? 0);
      const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
      expect(s3.map((s) => s.Action)).toEqual(['s3:PutObject']);
      expect(JSON.stringify(s3[0]!.Resource)).toContain(`/${FACTS_PREFIX}*`);
    },
  );

  it('exports to a KMS-encrypted, versioned, private, TLS-only, retained bucket whose old versions expire', () => {
    const [keyId] = only(resourcesOf('AWS::KMS::Key'));
    const [bucketId, bucket] = exportBucket();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
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
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          }),
        ],
      },
    });
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Record<string, any>[];
    expect(rules.find((r) => r.Prefix === FACTS_PREFIX)?.NoncurrentVersionExpiration?.NoncurrentDays).toBeGreaterThan(
      365,
    );
    expect(rules.find((r) => r.Prefix === FACTS_PREFIX)?.ExpirationInDays).toBeUndefined();
    expectTlsOnly(bucketId);
  });

  it('describes the facts in Glue with day partitions projected, so no crawler is needed', () => {
    const [, table] = only(resourcesOf('AWS::Glue::Table'));
    const [, database] = only(resourcesOf('AWS::Glue::Database'));
    const input = table.Properties.TableInput;
    expect(table.Properties.DatabaseName).toBe(database.Properties.DatabaseInput.Name);
    expect(input).toMatchObject({
      Name: FACTS_TABLE,
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: [{ Name: 'received_day', Type: 'string' }],
    });
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.received_day.type': 'date',
      'projection.received_day.format': 'yyyy-MM-dd',
      'projection.received_day.range': expect.stringMatching(/^\d{4}-\d{2}-\d{2},NOW/),
    });
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
      `/${FACTS_PREFIX}received_day=\${received_day}/`,
    );
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(`/${FACTS_PREFIX}`);
    const columns = Object.fromEntries(
      (input.StorageDescriptor.Columns as { Name: string; Type: string }[]).map((c) => [c.Name, c.Type]),
    );
    expect(columns).toMatchObject({
      factkey: 'string',
      changeseq: 'int',
      escalations: 'array<string>',
      breaches: 'array<string>',
    });
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

  type Statement = {
    Action: string | string[];
    Resource: unknown;
    Effect: string;
    Condition?: Record<string, Record<string, string>>;
  };
  const hubStreamArn = () => ({ 'Fn::GetAtt': [tableLogicalId('hub'), 'StreamArn'] });
  const hubMappings = (t: Template = template) =>
    Object.values(t.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>).filter(
      (m) => JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify(hubStreamArn()),
    );
  const functionIds = (t: Template = template) => {
    const functions = t.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const consumer = hubMappings(t)[0]!.Properties.FunctionName.Ref as string;
    const rule = Object.values(t.findResources('AWS::Events::Rule') as Record<string, Resource>).find(
      (r) => r.Properties.Description === deliverySchedule.description,
    )!;
    const delivery = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    const sealer = Object.keys(functions).find((id) => id.includes(`Route${FEEDBACK_SEALING_ROUTE_ID}`))!;
    return { functions, consumer, delivery, sealer };
  };
  const statementsOf = (t: Template, fn: Resource): Statement[] =>
    roleStatements<Statement>(t, fn.Properties.Role['Fn::GetAtt'][0] as string);
  const synthWith = (id: string, context: Record<string, unknown>): Template => synth(id, {}, context);

  it(
    'the operational consumer is the ONE reader of the hub stream: filtered, explicit retries and age, ' +
      'bisecting, item failures, encrypted on-failure queue',
    () => {
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
        operational.pkPrefixes.map((prefix) => ({
          eventName: ['INSERT'],
          dynamodb: { Keys: { PK: { S: [{ prefix }] }, SK: { S: [{ prefix: 'EVENT#' }] } } },
        })),
      );
    },
  );

  it('the delivery sweep runs every minute with time for its 5-second attempts; both outlast an attempt', () => {
    const { functions, consumer, delivery } = functionIds();
    expect(deliverySchedule.expression).toBe('rate(1 minute)');
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: deliverySchedule.description,
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
    });
    for (const id of [consumer, delivery]) expect(functions[id]!.Properties.Timeout).toBeGreaterThanOrEqual(30);
    // Built once: not also by the Schedules construct.
    const byDescription = Object.values(functions).filter(
      (f) => f.Properties.Description === deliverySchedule.description,
    );
    expect(byDescription).toHaveLength(1);
  });

  it(
    'KMS: the sweep and the consumer may open webhook secrets, the create route may seal them, each bound to ' +
      'the encryption context; nobody else has the key ARN',
    () => {
      const { functions, consumer, delivery, sealer } = functionIds();
      const [keyId] = only(resourcesOf('AWS::KMS::Key'));
      const secretStatements = (fnId: string) =>
        statementsOf(template, functions[fnId]!).filter(
          (s) => s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'] === 'feedback-webhook-secret',
        );
      for (const id of [consumer, delivery]) {
        expect(secretStatements(id).flatMap((s) => [s.Action].flat())).toEqual(['kms:Decrypt']);
        expect(secretStatements(id)[0]!.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      }
      expect(secretStatements(sealer).flatMap((s) => [s.Action].flat())).toEqual(['kms:Encrypt']);
      // DOMAIN §9: the alert channel is the same webhook: the safety sweep opens, the alert channel route seals.
      const safetySweep = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>).find(
        (r) => r.Properties.Description === SCHEDULES.find((d) => d.id === 'safetySweep')!.description,
      )!;
      const safetyOpener = safetySweep.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
      const alertSealer = Object.keys(functions).find((id) => id.includes('RouteputAlertChannel'))!;
      expect(secretStatements(safetyOpener).flatMap((s) => [s.Action].flat())).toEqual(['kms:Decrypt']);
      expect(secretStatements(alertSealer).flatMap((s) => [s.Action].flat())).toEqual(['kms:Encrypt']);
      const withKeyArn = Object.keys(functions).filter(
        (id) => functions[id]!.Properties.Environment?.Variables?.[FEEDBACK_KMS_KEY_ENV],
      );
      expect(withKeyArn.sort()).toEqual([consumer, delivery, sealer, safetyOpener, alertSealer].sort());
    },
  );

  it('by default no VPC, NAT gateway or Elastic IP', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP'])
      expect(Object.keys(resourcesOf(type)), type).toHaveLength(0);
    for (const fn of Object.values(resourcesOf('AWS::Lambda::Function')))
      expect(fn.Properties.VpcConfig).toBeUndefined();
  });

  it('with feedbackFixedEgressIp, webhooks leave through one NAT gateway on a fixed Elastic IP, HTTPS only', () => {
    const fixed = synthWith('HubFixedEgress', { feedbackFixedEgressIp: 'true' });
    const [eipId] = Object.entries(fixed.findResources('AWS::EC2::EIP'))[0]!;
    expect(Object.keys(fixed.findResources('AWS::EC2::EIP'))).toHaveLength(1);
    const nats = Object.values(fixed.findResources('AWS::EC2::NatGateway') as Record<string, Resource>);
    expect(nats).toHaveLength(1);
    expect(nats[0]!.Properties.AllocationId).toEqual({ 'Fn::GetAtt': [eipId, 'AllocationId'] });
    fixed.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({}),
    });
    const { functions, consumer, delivery } = functionIds(fixed);
    const inVpc = Object.keys(functions).filter((id) => functions[id]!.Properties.VpcConfig);
    expect(inVpc.sort()).toEqual([consumer, delivery].sort());
    const sgId = functions[delivery]!.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0] as string;
    const sg = (fixed.findResources('AWS::EC2::SecurityGroup') as Record<string, Resource>)[sgId]!;
    expect(sg.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    const roleStatements = statementsOf(fixed, functions[delivery]!);
    expect(roleStatements.length).toBeGreaterThan(0);
  });
});
