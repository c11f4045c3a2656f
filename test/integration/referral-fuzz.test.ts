/** referral-fuzz: see ./referral-fuzz.fixture.ts for what it runs against. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableName } from '../../shared/data/client.js';
import {
  SEED,
  BATCH,
  MIN_SENT,
  NUM_RUNS,
  ORGANISATION_ID,
  KEY_PREFIX,
  MARKER,
  expectedPointers,
  makeBase,
  BASE_COUNT,
  SHAPES,
} from './referral-fuzz.bodies.js';
import { TIMED_BASES } from './referral-fuzz.generators.js';
import { stats, caseArb, startedAt, sentKeys, send, scanTable } from './referral-fuzz.fixture.js';

describe('POST /v1/referrals refuses generated invalid bodies', () => {
  it('the starting bodies are valid, and every generator kind yields invalid bodies', () => {
    for (let i = 0; i < BASE_COUNT; i++)
      expect(expectedPointers(JSON.stringify(makeBase(i, `${MARKER}1`))), `base ${i}`).toEqual([]);
    for (const shape of SHAPES) {
      expect(shape.required.length).toBeGreaterThan(10);
      for (const list of [shape.all, shape.objects, shape.strings, shape.enums]) expect(list.length).toBeGreaterThan(0);
    }
    expect(TIMED_BASES.length).toBe(4);
  });

  it(`≥ ${MIN_SENT} invalid bodies: each a 400 problem+json with JSON Pointers, no 5xx, nothing echoed`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const failures = (await Promise.all(batch.map(send))).filter((f): f is string => f !== undefined);
        if (failures.length)
          throw new Error(`${failures.length} of ${batch.length} answers wrong:\n${failures.join('\n')}`);
      }),
      { seed: SEED, numRuns: NUM_RUNS, endOnFailure: !process.env.FUZZ_SHRINK },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.info(
      `referral fuzz: sent ${stats.sent} in ${seconds}s (seed ${SEED}); filtered out ${stats.filteredOut} ` +
        `valid candidates; by kind ${JSON.stringify(Object.fromEntries([...stats.byKind].sort()))}`,
    );
    expect(stats.fiveXx).toBe(0);
    expect(stats.sent).toBeGreaterThanOrEqual(MIN_SENT);
  }, 180_000);

  it('nothing was stored: no referral for the fuzzing organisation, no idempotency record, no marker ' +
    'anywhere', async () => {
    expect(stats.sent).toBeGreaterThanOrEqual(MIN_SENT);
    const hub = await scanTable(tableName('hub'));
    const referrals = hub.filter((item) => {
      if (!String(item.PK).startsWith('REFERRAL#')) return false;
      const referrer = item.referrer as { organisationId?: unknown } | undefined;
      const org = referrer?.organisationId ?? item.organisationId;
      const when = String(item.receivedAt ?? item.at ?? item.updatedAt ?? '');
      return org === ORGANISATION_ID && when >= startedAt;
    });
    expect(referrals.map((i) => `${String(i.PK)} ${String(i.SK)}`)).toEqual([]);
    const idempotency = hub.filter((item) => {
      const pk = String(item.PK);
      return (
        pk.startsWith(`IDEMPOTENCY#${ORGANISATION_ID}#`) &&
        sentKeys.has(pk.slice(`IDEMPOTENCY#${ORGANISATION_ID}#`.length))
      );
    });
    expect(idempotency.map((i) => String(i.PK))).toEqual([]);
    expect(hub.filter((i) => String(i.PK).startsWith(`IDEMPOTENCY#${ORGANISATION_ID}#${KEY_PREFIX}`))).toEqual([]);
    for (const table of [tableName('hub'), tableName('audit'), tableName('analytics')]) {
      const items = table === tableName('hub') ? hub : await scanTable(table);
      const marked = items.filter((i) => JSON.stringify(i).includes(MARKER));
      expect(marked.length, `items in ${table} holding a fuzz marker`).toBe(0);
    }
  }, 60_000);
});
