/**
 * `npm run invoke` (scripts/invoke.ts) with the committed samples: each handler is found by its
 * route, consumer or schedule id and runs under its declared data access against DynamoDB
 * Local. The tables are this file's own (the sample person must not meet other tests').
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames, type TableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { invoke, targetOf } from '../../scripts/invoke.js';
import { loadSample } from '../support/samples.js';

const client = localDynamoClient(inject('dynamoEndpoint'));
let names: TableNames;

beforeAll(async () => {
  names = tableNames(`invoke-${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, names);
  await seedRegistry(client, names);
  // Before any handler reads its configuration (it is read once, on first use).
  for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];
});
afterAll(() => client.destroy());

describe('npm run invoke', () => {
  it('finds a handler by route, consumer or schedule id, and names the known ids otherwise', () => {
    expect(targetOf('createReferral')).toMatchObject({
      kind: 'route',
      handler: 'functions/referrals/create.ts',
      resolvesCaller: true,
    });
    expect(targetOf('operational')).toMatchObject({ kind: 'consumer', handler: 'functions/stream/operational.ts' });
    expect(targetOf('clockSweep')).toMatchObject({ kind: 'schedule', handler: 'functions/clocks/sweep.ts' });
    expect(() => targetOf('nope')).toThrow(/Known: .*createReferral.*operational.*clockSweep/);
  });

  it('runs the create-referral route with the API Gateway sample', async () => {
    const result = (await invoke('createReferral', loadSample('api-gateway/create-referral.json'))) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode, result.body).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({ referrerReference: 'INC-20261114-0457', status: 'received' });
  });

  it('runs the stream consumers with the DynamoDB stream and Kinesis samples', async () => {
    expect(await invoke('operational', loadSample('dynamodb-stream/referral-event-insert.json'))).toEqual({
      batchItemFailures: [],
    });
    expect(await invoke('analytics', loadSample('kinesis/referral-state-insert.json'))).toEqual({
      batchItemFailures: [],
    });
    expect(await invoke('analytics', loadSample('kinesis/referral-state-modify.json'))).toEqual({
      batchItemFailures: [],
    });
    // The analytics consumer wrote the referral's de-identified fact (and roll-ups).
    const facts = await client.send(new ScanCommand({ TableName: names.analytics, Select: 'COUNT' }));
    expect(facts.Count).toBeGreaterThan(0);
  });

  it('runs a schedule with the scheduled-event sample', async () => {
    await expect(invoke('heartbeat', loadSample('schedule/minute.json'))).resolves.toBeUndefined();
    await expect(invoke('heartbeat', { time: 'not a time' })).rejects.toMatchObject({
      name: 'InvalidScheduledEventError',
    });
  });
});
