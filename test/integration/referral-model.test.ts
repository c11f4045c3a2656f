/**
 * The lifecycle model through the real path (DOMAIN §3.1): 50 random event sequences (500 in
 * `npm run soak`) from people and machine clients of the service and from referrers, each step
 * an HTTP request → local adapter → the Lambda handler → DynamoDB Local. After every step the
 * answer must be the one the pure transition gives for the stored state (200, 400, 403, 404,
 * 409), a refusal must leave the stored referral as it was, and the stored state must keep
 * every invariant of test/support/lifecycle-model.ts.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { decide, type RegisterEntry } from '../../shared/domain/referral-transition.js';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { SENDERS, intakeBody, type SenderName } from '../support/lifecycle-fixtures.js';
import { concrete, eventOf, namedAmhp, sequenceArb, violations } from '../support/lifecycle-model.js';

const HTTP_SENDERS: SenderName[] = ['lead', 'leadSystem', 'sam', 'alex', 'policeA', 'policeB'];
const RUNS = Number(process.env.LIFECYCLE_MODEL_RUNS ?? 50);

let api: TestApi;
const tokens = {} as Record<SenderName, string>;
beforeAll(async () => {
  api = await startTestApi();
  Object.assign(tokens, await tokensFor(api, ['lead', 'sam', 'alex', 'leadSystem', 'policeA', 'policeB']));
});
afterAll(() => api?.close());

const STATUS_OF = { forbidden: 403, invalid: 400, conflict: 409 } as const;
const stored = async (id: string): Promise<ReferralRecord> => (await getReferral(id))!.record;
const registerEntry = async (id: string): Promise<RegisterEntry | undefined> => (await getAmhp(id)) ?? undefined;

describe('the referral lifecycle model through HTTP on DynamoDB Local', () => {
  it(`${RUNS} random sequences: every answer is the transition's, refusals change nothing, every invariant ` +
    `holds`, async () => {
    const registerCache = new Map<string, RegisterEntry | undefined>();
    const lookup = async (id: string) => {
      if (!registerCache.has(id)) registerCache.set(id, await registerEntry(id));
      return registerCache.get(id);
    };
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(sequenceArb(HTTP_SENDERS, 12, false), async (seq) => {
        const create = await api.fetch('/v1/referrals', {
          method: 'POST',
          token: tokens.policeA,
          json: { ...intakeBody(seq.kind, new Date()), responsibleLssa: seq.lssa },
          headers: { 'Idempotency-Key': randomUUID() },
        });
        expect(create.status).toBe(201);
        const id = ((await create.json()) as { id: string }).id;
        let r = await stored(id);
        for (const planned of seq.steps) {
          const step = concrete(planned, r);
          if (!HTTP_SENDERS.includes(step.who)) continue;
          const now = new Date();
          const event = eventOf(step, now);
          if (!event) continue;
          const sender = SENDERS[step.who];
          const named = namedAmhp(event);
          const target = named ? await lookup(named) : undefined;
          const visible = sender.organisationId === r.serviceId || sender.organisationId === r.referrer.organisationId;
          const expected = decide({ record: r, event, sender, ...(target ? { target } : {}), now });
          const res = await api.fetch(`/v1/referrals/${id}/events`, {
            method: 'POST',
            token: tokens[step.who],
            json: event,
            headers: { 'If-Match': etagOf(r.version) },
          });
          const body = (await res.json()) as { code?: string };
          const want = !visible ? 404 : expected.ok ? 200 : STATUS_OF[expected.refusal.kind];
          expect(res.status, `${step.who} ${event.type}: ${JSON.stringify(body)}`).toBe(want);
          if (!expected.ok && visible) expect(body.code).toBe(expected.refusal.code);
          const after = await stored(id);
          steps += 1;
          if (res.status !== 200) {
            expect(after.version).toBe(r.version);
            expect(after.changeSeq).toBe(r.changeSeq);
            continue;
          }
          const entries = new Map<string, RegisterEntry | undefined>();
          for (const a of [after.allocation?.amhpId, ...(after.coAllocations ?? []).map((c) => c.amhpId)])
            if (a) entries.set(a, await lookup(a));
          const found = violations(
            r,
            { ok: true, next: after, event: { type: '', at: '', data: {} }, flagsRaised: [] },
            { event, sender, now },
            (a) => entries.get(a),
          );
          expect(found, `${step.who} ${event.type}`).toEqual([]);
          r = after;
        }
      }),
      { numRuns: RUNS, seed: 20261204 },
    );
    expect(steps).toBeGreaterThan(RUNS * 3);
  }, 600_000);
});
