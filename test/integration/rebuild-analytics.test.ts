/**
 * `npm run rebuild-analytics` against DynamoDB Local: facts, roll-ups and capacity counters come
 * back from the hub table through the consumer's own code, and a second run changes nothing.
 *
 * Other test files write to the run's shared tables at the same time, and this one compares the
 * whole analytics table, so it uses tables of its own. Their names are set before any module
 * that reads the configuration is imported (the modules under test are imported dynamically).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../support/scan-all.js';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { PK, SK, TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';

const names = tableNames(`rebuild-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];
const exportDir = mkdtempSync(join(tmpdir(), 'rebuild-analytics-'));
process.env.EXPORT_DIR = exportDir;
delete process.env.EXPORT_BUCKET;

const client = localDynamoClient(inject('dynamoEndpoint'));
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

const NOW = new Date();
const iso = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The fields of a stored referral the fact reads (ReferralLike), keyed as the hub keys it. */
function referral(overrides: Record<string, unknown> = {}) {
  const id = ulid();
  return {
    [PK]: `REFERRAL#${id}`,
    [SK]: 'STATE',
    id,
    reference: 'R-TEST-0000',
    receivedAt: '2025-03-10T09:15:00.000Z',
    status: 'received',
    urgency: 'immediate',
    changeSeq: 1,
    version: 1,
    responsibleLssa: 'E09000001',
    person: { givenName: 'Test', familyName: 'Person', dateOfBirth: '1990-05-01', sex: 'male', ethnicity: 'A' },
    referrer: { agencyType: 'police', organisationId: 'org-police-a', clientId: 'police-a-triage' },
    legalStatus: { status: 's136' },
    milestones: {},
    escalations: [],
    breaches: [],
    ...overrides,
  };
}

const referrals = [
  referral(),
  referral({
    status: 'allocated',
    changeSeq: 4,
    milestones: { accepted: '2025-03-10T09:45:00.000Z', allocated: '2025-03-10T10:30:00.000Z' },
    escalations: ['no-amhp-available'],
    breaches: ['s136'],
  }),
  referral({
    receivedAt: '2025-03-11T23:30:00.000Z',
    urgency: 'urgent',
    person: { identityUnknown: true, estimatedAgeBand: '25-34', sex: 'female', ethnicity: '99' },
    referrer: { agencyType: 'ambulance', organisationId: 'org-ambulance', clientId: 'ambulance-cad' },
  }),
];

const UNIT = 'unit-rebuild-1';
const snapshot = (receivedMsAgo: number, available: number) => ({
  [PK]: `BEDUNIT#${UNIT}`,
  [SK]: `SNAPSHOT#${iso(receivedMsAgo + 60_000)}#${ulid()}`,
  asOf: iso(receivedMsAgo + 60_000),
  beds: [{ bedType: 'adult-acute', available, total: 12 }],
  updatedBy: 'bed-manager',
  receivedAt: iso(receivedMsAgo),
});
// One snapshot older than the consumer's capacity markers live, two recent ones.
const snapshots = [snapshot(30 * DAY, 3), snapshot(2 * DAY, 1), snapshot(HOUR, 2)];
const latest = snapshots[snapshots.length - 1]!;
const unitState = {
  [PK]: `BEDUNIT#${UNIT}`,
  [SK]: 'STATE',
  unitId: UNIT,
  providerId: 'org-provider-p',
  name: 'Test Ward',
  lssas: ['E09000001'],
  version: 1,
  updatedAt: latest.receivedAt,
  asOf: latest.asOf,
  updatedBy: latest.updatedBy,
  beds: latest.beds,
};

/** The whole analytics table, in key order. */
async function analyticsContent(): Promise<Record<string, unknown>[]> {
  const items = await scanAll(doc, { TableName: names.analytics, ConsistentRead: true });
  const key = (item: Record<string, unknown>) => `${String(item[PK])}\u0000${String(item[SK])}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const sumOf = (items: Record<string, unknown>[], prefix: string, counter: (name: string) => boolean) =>
  items
    .filter((item) => String(item[PK]).startsWith(prefix))
    .flatMap((item) => Object.entries(item).filter(([name, value]) => counter(name) && typeof value === 'number'))
    .reduce((total, [, value]) => total + (value as number), 0);

const exportedFiles = (): string[] => {
  try {
    return readdirSync(join(exportDir, 'facts'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.json'),
    );
  } catch {
    return [];
  }
};

const load = async () => {
  const script = await import('../../scripts/rebuild-analytics.js');
  const consumer = await import('../../functions/stream/analytics.js');
  const facts = await import('../../shared/deidentify/facts.js');
  const config = await import('../../shared/config.js');
  return { ...script, ...consumer, ...facts, ...config };
};

beforeAll(async () => {
  await ensureTables(client, names);
  const items = [
    ...referrals,
    ...snapshots,
    unitState,
    { [PK]: referrals[0]![PK], [SK]: `EVENT#${ulid()}`, type: 'referral-created' },
  ];
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [names.hub]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
});

afterAll(() => {
  rmSync(exportDir, { recursive: true, force: true });
  client.destroy();
});

describe('rebuild-analytics', () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  it('recreates facts, roll-ups and capacity counters into an empty analytics table (--fresh)', async () => {
    const { rebuildAnalytics, demandFactOf, secretKey } = await load();
    expect(await analyticsContent()).toEqual([]);

    const counts = await rebuildAnalytics({ fresh: true, now: NOW, log });
    expect(lines.filter((l) => l.startsWith('failed'))).toEqual([]);
    expect(counts).toEqual({
      referrals: { scanned: 3, created: 3, advanced: 0, unchanged: 0, failed: 0 },
      bedUnits: { scanned: 1, snapshotsReplayed: 3, snapshotsOutsideWindow: 0, failed: 0 },
    });

    const content = await analyticsContent();
    const key = await secretKey('pseudonymisationKey');
    const facts = content.filter((item) => String(item[PK]).startsWith('FACTS#'));
    expect(facts).toHaveLength(3);
    for (const r of referrals) {
      const expected = demandFactOf(r as never, { pseudonymisation: key });
      const stored = facts.find((f) => f.factKey === expected.factKey);
      expect(stored, r.id).toMatchObject({
        ...expected,
        [PK]: `FACTS#${expected.dims.lssa}#${expected.receivedDay.slice(0, 7)}`,
      });
    }
    // One referral counted per fact, on the roll-up of its LSSA and day.
    expect(sumOf(content, 'ROLLUP#', (n) => n.startsWith('n|'))).toBe(3);
    expect(sumOf(content, 'ROLLUP#', (n) => n.startsWith('e|'))).toBe(1);
    expect(sumOf(content, 'ROLLUP#', (n) => n.startsWith('b|'))).toBe(1);
    // Every snapshot counted once, in order, each after its predecessor: both gaps (28 days,
    // 47 hours) are longer than the consumer's 4 hours, so two stale updates.
    expect(sumOf(content, 'CAPACITY', (n) => n === 'g|all')).toBe(3);
    expect(sumOf(content, 'CAPACITY', (n) => n === 'g|stale')).toBe(2);
    expect(sumOf(content, 'CAPACITY', (n) => n === 'a|adult-acute')).toBe(3 + 1 + 2);
    // The export got every fact version, as from the stream.
    expect(exportedFiles()).toHaveLength(3);
  });

  it('a second run changes nothing', async () => {
    const { rebuildAnalytics } = await load();
    const before = await analyticsContent();
    const counts = await rebuildAnalytics({ now: NOW, log });
    expect(counts).toEqual({
      referrals: { scanned: 3, created: 0, advanced: 0, unchanged: 3, failed: 0 },
      // The recent snapshots go through the consumer again (its markers turn them away); the old
      // one is no longer guarded by a marker in AWS, so it is left alone.
      bedUnits: { scanned: 1, snapshotsReplayed: 2, snapshotsOutsideWindow: 1, failed: 0 },
    });
    expect(await analyticsContent()).toEqual(before);
    expect(exportedFiles()).toHaveLength(3);
  });

  it('refuses --fresh over a table that has data', async () => {
    const { rebuildAnalytics, AnalyticsNotEmpty } = await load();
    const before = await analyticsContent();
    await expect(rebuildAnalytics({ fresh: true, now: NOW, log })).rejects.toBeInstanceOf(AnalyticsNotEmpty);
    expect(await analyticsContent()).toEqual(before);
  });

  it('moves a fact on when the referral moved on, netting its roll-up counters', async () => {
    const { rebuildAnalytics, demandFactOf, secretKey, counterName } = await load();
    const key = await secretKey('pseudonymisationKey');
    const first = referrals[0]!;
    const previous = demandFactOf(first as never, { pseudonymisation: key });
    const moved = {
      ...first,
      status: 'closed',
      changeSeq: 7,
      outcome: { outcome: 'no-further-action' },
      milestones: { outcomeRecorded: '2025-03-10T13:15:00.000Z' },
    };
    await doc.send(new PutCommand({ TableName: names.hub, Item: moved }));
    const rollupOf = (items: Record<string, unknown>[]) =>
      items.find((item) => item[PK] === `ROLLUP#${previous.dims.lssa}` && item[SK] === `DAY#${previous.receivedDay}`)!;
    const pending = counterName.referrals(previous.dims);
    const outcome = counterName.referrals({ ...previous.dims, outcome: 'no-further-action' });
    const rollupBefore = rollupOf(await analyticsContent());
    expect(rollupBefore[pending]).toBe(2); // the second referral has the same dimensions
    expect(rollupBefore[outcome]).toBeUndefined();

    const counts = await rebuildAnalytics({ now: NOW, log });
    expect(counts.referrals).toEqual({ scanned: 3, created: 0, advanced: 1, unchanged: 2, failed: 0 });
    const content = await analyticsContent();
    const fact = content.find((item) => item.factKey === previous.factKey);
    expect(fact).toMatchObject({
      changeSeq: 7,
      status: 'closed',
      dims: { ...previous.dims, outcome: 'no-further-action' },
    });
    const rollup = rollupOf(content);
    expect(rollup[pending]).toBe(1);
    expect(rollup[outcome]).toBe(1);
    expect(sumOf(content, 'ROLLUP#', (n) => n.startsWith('n|'))).toBe(3);
    expect(exportedFiles()).toHaveLength(4);

    const again = await analyticsContent();
    await rebuildAnalytics({ now: NOW, log });
    expect(await analyticsContent()).toEqual(again);
  });
});
