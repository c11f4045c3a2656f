/**
 * Reliability under faults (issue #9): what the Hub promises when its dependencies fail.
 *
 * a. DynamoDB Local killed (SIGKILL) during a burst of creates and restarted on its data
 *    directory: every 2xx create is there with its event, nothing is half-written, and a retry
 *    with the same key settles every request to exactly one referral.
 * b. Throttling injected under the SDK's retry layer: fewer failures than maxAttempts are
 *    absorbed; persistent throttling is a 503 problem+json with Retry-After and writes nothing.
 * c. The stream poller stopped mid-way and started again (replaying from TRIM_HORIZON): the
 *    analytics consumer ends with the same facts and roll-ups as a full replay, none lost.
 * d. A create whose client gave up (aborted) retried with the same key: one referral.
 * e. 50 clients racing one transition with the same If-Match: one 200, the rest 412.
 *
 * This file runs its OWN DynamoDB Local (on a data directory, so it can be killed and
 * restarted on the same port) and points the handlers at it before any module reads the
 * configuration: shared/config.ts and shared/data/client.ts read the environment once per process.
 *
 * Split by concern into faults-throttling.test.ts, faults-restarts.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  ProvisionedThroughputExceededException,
  type ThrottlingException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../support/scan-all.js';
import { PK, SK, TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { freePort, localDynamoClient, startDynamoDbLocal, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { ddb } from '../../shared/data/client.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { queryPartition } from '../support/partition.js';
import { j1Body } from '../support/referrals.js';

// ---------------------------------------------------------------------------------------------
// Before anything reads the configuration: this file's DynamoDB Local and tables.

export const port = await freePort();
export const endpoint = `http://127.0.0.1:${port}`;
process.env.DYNAMODB_ENDPOINT = endpoint;
export const names = tableNames('faults-');
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

export let dataDir: string;
export let dynamo: LocalDynamo | undefined;
/** A new DynamoDB Local on the same port and data (after a test killed the first). */
export const restartDynamo = async () => {
  dynamo = await startDynamoDbLocal({ port, dataDir });
};
export let raw: DynamoDBClient;
export let doc: DynamoDBDocumentClient;
export let api: TestApi;
export const tokens = {} as Record<'police' | 'ambulance' | 'lead', string>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hub-faults-'));
  dynamo = await startDynamoDbLocal({ port, dataDir });
  raw = localDynamoClient(endpoint);
  doc = DynamoDBDocumentClient.from(raw);
  await ensureTables(raw, names);
  await seedRegistry(raw, names);
  api = await startTestApi();
  tokens.police = await api.clientToken('police-a-triage');
  tokens.ambulance = await api.clientToken('ambulance-cad');
  tokens.lead = await api.personToken(PEOPLE.lead);
}, 90_000);

afterAll(async () => {
  await api?.close();
  raw?.destroy();
  await dynamo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

export type Item = Record<string, any>;

/** The whole table (test-only: the request path never scans). */
export const scan = (table: string): Promise<Item[]> => scanAll(doc, { TableName: table, ConsistentRead: true });

export const referralPartition = (id: string): Promise<Item[]> => queryPartition(doc, names.hub, `REFERRAL#${id}`);

/** Referral state items whose referrerReference is one of these. */
export async function statesByReference(refs: ReadonlySet<string>): Promise<Item[]> {
  return (await scan(names.hub)).filter(
    (i) => i[SK] === 'STATE' && String(i[PK]).startsWith('REFERRAL#') && refs.has(i.referrer?.referrerReference),
  );
}

export function bodyWithReference(reference: string) {
  const body = j1Body();
  body.referrer = { ...body.referrer, referrerReference: reference };
  return body;
}

export const post = (token: string, body: unknown, key: string, signal?: AbortSignal) =>
  api.fetch('/v1/referrals', {
    method: 'POST',
    token,
    json: body,
    headers: { 'Idempotency-Key': key },
    ...(signal ? { signal } : {}),
  });

/**
 * Every referral partition is whole: a STATE and its events 1..changeSeq with no gap, no events
 * without a state, and every idempotency record naming a referral that exists (the create's
 * transaction wrote them together or not at all).
 */
export async function checkNothingHalfWritten(): Promise<{ referrals: number }> {
  const hub = await scan(names.hub);
  const partitions = new Map<string, Item[]>();
  for (const item of hub) {
    const pk = String(item[PK]);
    if (pk.startsWith('REFERRAL#')) partitions.set(pk, [...(partitions.get(pk) ?? []), item]);
  }
  const problems: string[] = [];
  for (const [pk, items] of partitions) {
    const state = items.find((i) => i[SK] === 'STATE');
    const seqs = items
      .filter((i) => String(i[SK]).startsWith('EVENT#'))
      .map((i) => Number(String(i[SK]).slice(6)))
      .sort((a, b) => a - b);
    if (!state) {
      problems.push(`${pk}: events ${seqs.join(',')} without a state`);
      continue;
    }
    if (!seqs.includes(1)) problems.push(`${pk}: state without EVENT#00000001`);
    const expected = Array.from({ length: state.changeSeq }, (_, i) => i + 1);
    if (JSON.stringify(seqs) !== JSON.stringify(expected))
      problems.push(`${pk}: events ${seqs.join(',')} for changeSeq ${state.changeSeq}`);
  }
  for (const item of hub.filter((i) => String(i[PK]).startsWith('IDEMPOTENCY#'))) {
    const body = JSON.parse(item.response?.body || '{}') as { id?: string };
    if (
      String(item.response?.headers?.Location ?? '').startsWith('/v1/referrals/') &&
      (!body.id || !partitions.has(`REFERRAL#${body.id}`))
    ) {
      problems.push(`${item[PK]}: replay names referral ${body.id} that does not exist`);
    }
  }
  const audit = await scan(names.audit);
  for (const record of audit.filter((a) => a.resourceType === 'referral' && a.action === 'create')) {
    if (!partitions.has(`REFERRAL#${record.resourceId}`))
      problems.push(`audit ${record.auditId}: create of ${record.resourceId}, which does not exist`);
  }
  const created = new Set(
    audit.filter((a) => a.resourceType === 'referral' && a.action === 'create').map((a) => a.resourceId),
  );
  for (const pk of partitions.keys())
    if (!created.has(pk.slice('REFERRAL#'.length))) problems.push(`${pk}: no create audit record`);
  expect(problems).toEqual([]);
  return { referrals: partitions.size };
}

// ---------------------------------------------------------------------------------------------
// Fault injection on the handlers' own document client, beneath the SDK's retry layer (the
// `deserialize` step runs inside `finalizeRequest`'s retry loop), so the SDK sees each failure
// as it would see DynamoDB's answer.

export const FAULT = 'faultInjection';
export type Throttle = typeof ProvisionedThroughputExceededException | typeof ThrottlingException;

export function injectThrottling(
  commands: RegExp,
  failures: number,
  kind: Throttle = ProvisionedThroughputExceededException,
) {
  const seen = { calls: 0, failed: 0 };
  ddb().middlewareStack.add(
    (next, context) => async (args) => {
      if (commands.test(context.commandName ?? '')) {
        seen.calls++;
        if (seen.failed < failures) {
          seen.failed++;
          throw new kind({ message: 'Injected by the fault test', $metadata: { httpStatusCode: 400 } });
        }
      }
      return next(args);
    },
    { step: 'deserialize', name: FAULT, priority: 'high' },
  );
  return seen;
}

afterEach(() => {
  ddb().middlewareStack.remove(FAULT);
});

/** The handlers' client's attempts per call (this SDK's DynamoDB default is 4; 3 before its 2026 retry defaults). */
export const maxAttempts = async (): Promise<number> => {
  const value = ddb().config.maxAttempts as number | (() => Promise<number>);
  return typeof value === 'function' ? value() : value;
};
