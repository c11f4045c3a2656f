/**
 * Capacity (DOMAIN §5, J4) through HTTP on DynamoDB Local: ownership, validation, the board
 * never going back in time, staleness, concurrency, filters, places of safety, bed requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, startTestApi, uniqueId, type TestApi } from '../support/api.js';
import { createReferral, j1Body, requestAdultAcuteBed } from '../support/referrals.js';
import { clock } from '../../shared/time.js';

let api: TestApi;
const t = {} as Record<'p' | 'q' | 'lead' | 'sam' | 'police' | 'beaPerson', string>;
// Provider P's own LSSA (a provider registers units only where it serves, DOMAIN §5); each test
// picks out its own units by id, so other files' units in the same LSSA do not matter.
const TEST_LSSA = 'E06000056';

beforeAll(async () => {
  api = await startTestApi();
  t.p = await api.clientToken('provider-p-beds');
  t.q = await api.clientToken('provider-q-beds');
  t.lead = await api.personToken(PEOPLE.lead);
  t.sam = await api.personToken(PEOPLE.amhp);
  t.police = await api.clientToken('police-a-triage');
  t.beaPerson = await api.personToken(PEOPLE.beds);
});
afterAll(async () => api.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const unitBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  site: 'Test site',
  icb: 'QHG',
  lssas: [TEST_LSSA],
  s140Designated: true,
  acceptsUnder18: false,
  contactRoute: 'Ward 24h: +44 1234 000000',
  ...extra,
});

async function newUnit(token: string, name = 'Test ward', extra: Record<string, unknown> = {}) {
  const id = uniqueId('unit');
  const res = await api.fetch(`/v1/bed-units/${id}`, { method: 'PUT', token, json: unitBody(name, extra) });
  expect(res.status).toBe(201);
  return id;
}
const update = (
  id: string,
  token: string,
  asOf: string,
  beds: unknown[] = [{ bedType: 'adult-acute', sex: 'male', available: 1, total: 18 }],
) => api.fetch(`/v1/bed-units/${id}/availability`, { method: 'PUT', token, json: { asOf, beds } });
const availability = async (qs: string, token = t.lead) =>
  (await (await api.fetch(`/v1/bed-availability?${qs}`, { token })).json()) as { items: any[] };

describe('bed availability', () => {
  it('J4: the owner updates its wards; another provider cannot; an unknown unit is 404', async () => {
    for (const [unit, beds] of [
      ['p-oak-ward', [{ bedType: 'adult-acute', sex: 'male', available: 0, total: 18 }]],
      ['p-elm-ward', [{ bedType: 'adult-acute', sex: 'female', available: 2, total: 18 }]],
      ['p-ash-picu', [{ bedType: 'picu', sex: 'mixed', available: 1, total: 10 }]],
    ] as const) {
      expect((await update(unit, t.p, minutesAgo(1), [...beds])).status).toBe(200);
    }
    const other = await update('p-oak-ward', t.q, new Date().toISOString());
    expect(other.status).toBe(403);
    expect((await update('no-such-unit', t.p, minutesAgo(1))).status).toBe(404);
    const registry = await api.fetch('/v1/bed-units/p-oak-ward', {
      method: 'PUT',
      token: t.q,
      json: unitBody('Taken over'),
      headers: { 'If-Match': '"1"' },
    });
    expect(registry.status).toBe(403);
  });

  it('refuses impossible figures with a pointer to each', async () => {
    const id = await newUnit(t.p);
    const cases: [unknown, string][] = [
      [[{ bedType: 'adult-acute', sex: 'male', available: 5, total: 4 }], '/beds/0/available'],
      [[{ bedType: 'adult-acute', sex: 'male', available: -1, total: 4 }], '/beds/0/available'],
      [[{ bedType: 'space-station', sex: 'male', available: 1, total: 4 }], '/beds/0/bedType'],
      [
        [
          { bedType: 'picu', sex: 'male', available: 1, total: 4 },
          { bedType: 'picu', sex: 'male', available: 1, total: 4 },
        ],
        '/beds/1',
      ],
    ];
    for (const [beds, pointer] of cases) {
      const res = await update(id, t.p, minutesAgo(1), beds as unknown[]);
      expect(res.status, pointer).toBe(400);
      expect(((await res.json()) as any).errors.map((e: any) => e.pointer)).toContain(pointer);
    }
    const future = await update(id, t.p, new Date(Date.now() + 3_600_000).toISOString());
    expect(future.status).toBe(400);
    expect(((await future.json()) as any).errors[0].pointer).toBe('/asOf');
  });

  it('J4: an older asOf is refused (409): the board never goes back in time', async () => {
    const id = await newUnit(t.p);
    const asOf = minutesAgo(5);
    expect((await update(id, t.p, asOf)).status).toBe(200);
    expect((await update(id, t.p, minutesAgo(65))).status).toBe(409);
    // The same moment again is not newer either (a re-sent spreadsheet).
    expect((await update(id, t.p, asOf)).status).toBe(409);
  });

  it('flips to stale after 4 hours (injected clock)', async () => {
    const id = await newUnit(t.p, 'Stale check ward');
    await update(id, t.p, new Date().toISOString());
    const find = async () => (await availability(`lssa=${TEST_LSSA}`)).items.find((u) => u.unitId === id);
    expect((await find()).stale).toBe(false);
    const real = clock.now;
    try {
      clock.now = () => new Date(Date.now() + 3 * 3_600_000 + 59 * 60_000);
      expect((await find()).stale).toBe(false);
      clock.now = () => new Date(Date.now() + 4 * 3_600_000 + 60_000);
      const later = await find();
      expect(later.stale).toBe(true);
      expect(later.ageMinutes).toBeGreaterThanOrEqual(241);
    } finally {
      clock.now = real;
    }
  });

  it('50 concurrent updates with random asOf: the newest stays; every accepted one is in the history', async () => {
    const id = await newUnit(t.p);
    const base = Date.now() - 3_600_000;
    const stamps = Array.from({ length: 50 }, (_, i) =>
      new Date(base + Math.floor(Math.random() * 3_000_000) + i).toISOString(),
    );
    const answers = await Promise.all(
      stamps.map((asOf, i) =>
        update(id, t.p, asOf, [{ bedType: 'adult-acute', sex: 'male', available: i % 5, total: 18 }]),
      ),
    );
    const accepted = stamps.filter((_, i) => answers[i]!.status === 200);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);
    const newest = [...stamps].sort().at(-1)!;
    expect(accepted).toContain(newest);
    const current = (await availability(`lssa=${TEST_LSSA}`)).items.find((u) => u.unitId === id);
    expect(current.asOf).toBe(newest);
    const history = (await (
      await api.fetch(
        `/v1/bed-units/${id}/history?from=${new Date(base - 1).toISOString()}&to=${new Date().toISOString()}`,
        { token: t.lead },
      )
    ).json()) as any;
    expect(history.items.map((s: any) => s.asOf).sort()).toEqual([...accepted].sort());
  });

  it('filters by bed type, sex and s.140 designation, most available first', async () => {
    const a = await newUnit(t.p, 'Filter A');
    const b = await newUnit(t.p, 'Filter B');
    const c = await newUnit(t.p, 'Filter C (not s.140)', { s140Designated: false });
    await update(a, t.p, minutesAgo(1), [{ bedType: 'older-adult', sex: 'female', available: 1, total: 10 }]);
    await update(b, t.p, minutesAgo(1), [
      { bedType: 'older-adult', sex: 'mixed', available: 3, total: 10 },
      { bedType: 'picu', sex: 'male', available: 2, total: 4 },
    ]);
    await update(c, t.p, minutesAgo(1), [{ bedType: 'older-adult', sex: 'female', available: 5, total: 10 }]);
    const all = (await availability(`lssa=${TEST_LSSA}&bedType=older-adult&sex=female`)).items.filter((u) =>
      [a, b, c].includes(u.unitId),
    );
    expect(all.map((u) => [u.unitId, u.availableOfType])).toEqual([
      [c, 5],
      [b, 3],
      [a, 1],
    ]);
    const s140 = (await availability(`lssa=${TEST_LSSA}&bedType=older-adult&s140Only=true`)).items.filter((u) =>
      [a, b, c].includes(u.unitId),
    );
    expect(s140.map((u) => u.unitId)).toEqual([b, a]);
    expect(
      (await availability(`lssa=${TEST_LSSA}&bedType=picu`)).items
        .filter((u) => [a, b, c].includes(u.unitId))
        .map((u) => u.unitId),
    ).toEqual([b]);
  });

  it('police read places of safety but not bed availability', async () => {
    expect((await api.fetch('/v1/bed-availability', { token: t.police })).status).toBe(401);
    expect((await api.fetch('/v1/places-of-safety?lssa=E06000055', { token: t.police })).status).toBe(200);
  });
});

describe('places of safety', () => {
  it('J1 step 1: the suite shows 0 empty spaces and when that was last said; under-18 filter', async () => {
    const asOf = minutesAgo(2);
    const res = await api.fetch('/v1/places-of-safety/p-hbpos/status', {
      method: 'PUT',
      token: t.p,
      json: { asOf, status: 'open', capacity: 2, emptySpaces: 0, acceptsUnder18: true },
    });
    expect(res.status).toBe(200);
    const bad = await api.fetch('/v1/places-of-safety/p-hbpos/status', {
      method: 'PUT',
      token: t.p,
      json: { asOf: new Date().toISOString(), status: 'open', capacity: 2, emptySpaces: 3, acceptsUnder18: true },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await api.fetch('/v1/places-of-safety/p-hbpos/status', {
          method: 'PUT',
          token: t.q,
          json: { asOf: new Date().toISOString(), status: 'closed', capacity: 2, emptySpaces: 0, acceptsUnder18: true },
        })
      ).status,
    ).toBe(403);
    const list = (await (
      await api.fetch('/v1/places-of-safety?lssa=E06000055&under18=true', { token: t.police })
    ).json()) as any;
    const suite = list.items.find((s: any) => s.siteId === 'p-hbpos');
    expect(suite).toMatchObject({
      status: 'open',
      emptySpaces: 0,
      asOf: new Date(asOf).toISOString(),
      stale: false,
      contactRoute: expect.any(String),
    });
    expect(list.items.map((s: any) => s.siteId)).not.toContain('q-hbpos');
  });
});

describe('bed requests', () => {
  it(
    'round trip: a referral asks, the provider sees ' + 'minimum data and answers, the answer is in the history',
    async () => {
      const created = await createReferral(api, t.police, j1Body());
      const step = await requestAdultAcuteBed(api, t.lead, t.sam, created);
      expect(step.status).toBe(200);
      const versionAfterRequest = step.body.version;

      const open = (await (await api.fetch('/v1/bed-requests', { token: t.p })).json()) as any;
      const mine = open.items.find((r: any) => r.referralReference === created.reference);
      expect(mine).toMatchObject({
        ageBand: '25-34',
        sex: 'male',
        bedType: 'adult-acute',
        legalStatus: 's136',
        lssa: 'E06000055',
        status: 'open',
      });
      expect(JSON.stringify(mine)).not.toMatch(/Daniel|Marsh|1992|943|parapet/);
      // Provider Q does not serve this LSSA.
      const qList = (await (await api.fetch('/v1/bed-requests', { token: t.q })).json()) as any;
      expect(qList.items.map((r: any) => r.id)).not.toContain(mine.id);
      expect(
        (
          await api.fetch(`/v1/bed-requests/${mine.id}/responses`, {
            method: 'POST',
            token: t.q,
            json: { response: 'none' },
          })
        ).status,
      ).toBe(404);

      const answer = await api.fetch(`/v1/bed-requests/${mine.id}/responses`, {
        method: 'POST',
        token: t.beaPerson,
        json: { response: 'identified', unitId: 'p-oak-ward', note: 'Bed 4 from 09:30' },
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as any).status).toBe('closed');
      const history = (await (await api.fetch(`/v1/referrals/${created.id}/events`, { token: t.lead })).json()) as any;
      expect(history.items.at(-1)).toMatchObject({
        type: 'bed-request-answered',
        organisationId: 'provider-p',
        data: { response: 'identified', unitId: 'p-oak-ward' },
      });
      const view = (await (await api.fetch(`/v1/referrals/${created.id}`, { token: t.lead })).json()) as any;
      expect(view.version).toBe(versionAfterRequest);
      const reopened = (await (await api.fetch('/v1/bed-requests', { token: t.p })).json()) as any;
      expect(reopened.items.map((r: any) => r.id)).not.toContain(mine.id);
    },
  );
});
