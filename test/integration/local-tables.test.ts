import { describe, expect, it, inject } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { TABLES } from '../../shared/data/tables.js';
import { getIdentity, getOrganisation } from '../../shared/data/registry-repository.js';

describe('local tables built from the one definition', () => {
  const client = localDynamoClient(inject('dynamoEndpoint'));

  it('creates every table with its keys, sparse indexes and stream', async () => {
    for (const def of Object.values(TABLES)) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableNames()[def.id] }));
      expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([def.partitionKey.name, def.sortKey.name]);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
        def.indexes.map((i) => i.indexName).sort(),
      );
      expect(Table?.StreamSpecification?.StreamViewType).toBe('stream' in def ? def.stream : undefined);
    }
  });

  it('is idempotent and completes a table that lacks an index, keeping its data', async () => {
    const names = tableNames('idem-');
    await ensureTables(client, names);
    await ensureTables(client, names);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: names.hub }));
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(TABLES.hub.indexes.length);
  });

  it('seeds the registry: clients, people and organisations resolve', async () => {
    const { record, settings } = await getIdentity('client', 'police-a-triage');
    expect(record).toMatchObject({ organisationId: 'police-a', role: 'referrer' });
    expect(record).not.toHaveProperty('clientSecret');
    expect(settings?.lssas.map((l) => l.code)).toContain('E06000055');
    expect((await getIdentity('person', '6f1c2a4e-8b1d-4c7a-9e3f-1a2b3c4d5e01')).record).toMatchObject({
      role: 'amhp-lead',
    });
    expect(await getOrganisation('amhp-service')).toMatchObject({
      agencyType: 'amhp-service',
      lssas: ['E06000055', 'E06000056'],
    });
  });
});
