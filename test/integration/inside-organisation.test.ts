/**
 * Least privilege inside an organisation (issue #15, item 5): each finding replayed through the
 * real path (HTTP → local adapter → handler → DynamoDB Local) and refused or no longer
 * reproducible. The view rules and the auditor's scope are in tenancy.test.ts and audit.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { PEOPLE, startTestApi, uniqueId, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { createReferral, j1Body, requestAdultAcuteBed } from '../support/referrals.js';

let api: TestApi;
const t = {} as Record<
  'lead' | 'sam' | 'auditor' | 'caseSystem' | 'policeA' | 'policeB' | 'providerP' | 'providerQ',
  string
>;
beforeAll(async () => {
  api = await startTestApi();
  Object.assign(
    t,
    await tokensFor(api, ['lead', 'sam', 'auditor', 'caseSystem', 'policeA', 'policeB', 'providerP', 'providerQ']),
  );
});
afterAll(async () => api?.close());

const json = async (res: Response) => (await res.json()) as Record<string, any>;

/** A random NHS number with a valid check digit: this run's person, nobody else's. */
function randomNhsNumber(): string {
  for (;;) {
    const nine = String(100_000_000 + Math.floor(Math.random() * 800_000_000));
    const check = nhsCheckDigit(nine);
    if (check !== undefined && !/^(\d)\1{8}$/.test(nine)) return `${nine}${check}`;
  }
}

describe('possibleDuplicateOf', () => {
  it('lists the same service’s open referrals for the person, never another service’s', async () => {
    const nhsNumber = randomNhsNumber();
    const south = await createReferral(api, t.policeB, j1Body({ responsibleLssa: 'E06000057', person: { nhsNumber } }));
    const first = await createReferral(api, t.policeA, j1Body({ responsibleLssa: 'E06000055', person: { nhsNumber } }));
    const second = await createReferral(
      api,
      t.policeA,
      j1Body({ responsibleLssa: 'E06000056', person: { nhsNumber } }),
    );
    const read = async (id: string) => json(await api.fetch(`/v1/referrals/${id}`, { token: t.lead }));
    // Southvale's referral of the same person is not revealed to Northshire...
    expect((await read(first.id)).possibleDuplicateOf).toBeUndefined();
    // ...while Northshire's own earlier referral is (the control: matching still works).
    expect((await read(second.id)).possibleDuplicateOf).toEqual([first.id]);
    expect(JSON.stringify(await read(second.id))).not.toContain(south.id);
  });
});

describe('capacity: providers act for their own area and units', () => {
  const siteBody = (lssas: string[]) => ({
    name: 'Pop-up s.136 suite',
    lssas,
    acceptsUnder18: false,
    contactRoute: 'Site manager 24h: +44 1234 600200',
  });

  it('a place of safety or unit in another provider’s LSSA is 403 and not created; in its own, 201', async () => {
    const site = uniqueId('q-site');
    const refused = await api.fetch(`/v1/places-of-safety/${site}`, {
      method: 'PUT',
      token: t.providerQ,
      json: siteBody(['E06000055']),
    });
    expect(refused.status).toBe(403);
    expect(
      (await json(await api.fetch('/v1/places-of-safety?lssa=E06000055', { token: t.policeA }))).items.map(
        (s: any) => s.siteId,
      ),
    ).not.toContain(site);
    const unit = uniqueId('q-unit');
    const unitBody = {
      name: 'Pop-up ward',
      site: 'Southvale Hospital',
      icb: 'QHM',
      lssas: ['E06000057', 'E06000056'],
      s140Designated: false,
      acceptsUnder18: false,
      contactRoute: 'Site manager 24h: +44 1234 600200',
    };
    expect(
      (await api.fetch(`/v1/bed-units/${unit}`, { method: 'PUT', token: t.providerQ, json: unitBody })).status,
    ).toBe(403);
    expect(
      (
        await api.fetch(`/v1/places-of-safety/${site}`, {
          method: 'PUT',
          token: t.providerQ,
          json: siteBody(['E06000057']),
        })
      ).status,
    ).toBe(201);
  });

  it('a bed request is answered with the provider’s own units only', async () => {
    const created = await createReferral(api, t.policeA, j1Body({ responsibleLssa: 'E06000055' }));
    const step = await requestAdultAcuteBed(api, t.lead, t.sam, created);
    expect(step.status).toBe(200);
    const request = (await json(await api.fetch('/v1/bed-requests', { token: t.providerP }))).items.find(
      (r: any) => r.referralReference === created.reference,
    );
    const answer = (unitId: string) =>
      api.fetch(`/v1/bed-requests/${request.id}/responses`, {
        method: 'POST',
        token: t.providerP,
        json: { response: 'offered', unitId },
      });
    expect((await answer('q-birch-ward')).status).toBe(403);
    expect((await answer('no-such-unit')).status).toBe(403);
    const own = await answer('p-oak-ward');
    expect(own.status).toBe(200);
    expect((await json(own)).responses).toEqual([
      expect.objectContaining({ unitId: 'p-oak-ward', organisationId: 'provider-p' }),
    ]);
  });
});

describe('idempotency records belong to one caller', () => {
  const entry = { displayName: 'Idempotent Entry', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false };

  it(
    'another person or client of the organisation sending ' + 'the same key gets no replay; the role check comes first',
    async () => {
      const id = uniqueId('amhp');
      const key = randomUUID();
      const put = (token: string) =>
        api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token, json: entry, headers: { 'Idempotency-Key': key } });
      const first = await put(t.lead);
      expect(first.status).toBe(201);
      // Sam (an AMHP of the same service) may not change the register: 403, not Dana's stored 201.
      const sam = await put(t.sam);
      expect(sam.status).toBe(403);
      expect(sam.headers.get('idempotent-replayed')).toBeNull();
      // The service's case system (a lead, but a system client): its own request, not Dana's replay.
      const system = await put(t.caseSystem);
      expect(system.headers.get('idempotent-replayed')).toBeNull();
      expect(system.status).not.toBe(201);
      // Dana's own retry is replayed, and the replay is audited.
      const from = new Date(Date.now() - 1000).toISOString();
      const again = await put(t.lead);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await json(again)).toEqual(await json(first));
      const trail = await json(
        await api.fetch(
          `/v1/audit?organisationId=amhp-service&from=${encodeURIComponent(from)}&to=` +
            `${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=100`,
          { token: t.auditor },
        ),
      );
      expect(trail.items.filter((r: any) => r.resourceId === id && r.action === 'replay')).toEqual([
        expect.objectContaining({ route: 'putAmhp', result: 201, actorId: expect.any(String) }),
      ]);
    },
  );
});

describe('cursors are tamper-evident', () => {
  it('a forged, altered or borrowed cursor is a 400 problem, never a 500', async () => {
    for (let i = 0; i < 3; i++) await createReferral(api, t.policeA, j1Body({ responsibleLssa: 'E06000055' }));
    const page = await json(await api.fetch('/v1/referrals?view=board&limit=1', { token: t.lead }));
    const cursor: string = page.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await api.fetch(`/v1/referrals?view=board&limit=1&cursor=${cursor}`, { token: t.lead })).status).toBe(200);

    // The finding: a start key inside the caller's own partition, with a sort key of the wrong type.
    const forged = Buffer.from(
      JSON.stringify({ boardPk: 'SERVICE#amhp-service#OPEN', boardSk: 7, PK: 'REFERRAL#x', SK: 'STATE' }),
    ).toString('base64url');
    const flipped = cursor.slice(0, -2) + (cursor.at(-2) === 'A' ? 'B' : 'A') + cursor.at(-1);
    const tries = [forged, `${'A'.repeat(43)}${forged}`, flipped, cursor.slice(1)];
    for (const bad of tries) {
      const res = await api.fetch(`/v1/referrals?view=board&limit=1&cursor=${bad}`, { token: t.lead });
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(res)).errors).toEqual([{ pointer: '/query/cursor', message: 'invalid cursor' }]);
    }
    // Valid, but issued to another service's board.
    const south = await api.fetch(`/v1/referrals?view=board&limit=1&cursor=${cursor}`, {
      token: await api.personToken(PEOPLE.southLead),
    });
    expect(south.status).toBe(400);
  });
});

describe('correlation ids', () => {
  const echoed = async (id: string) =>
    (await api.fetch('/v1/me', { token: t.lead, headers: { 'X-Correlation-ID': id } })).headers.get('x-correlation-id');

  it.each([
    ['an NHS number', '9434765919'],
    ['an NHS number, grouped', '943-476-5919'],
    ['a prefixed NHS number', 'ref-9434765919'],
    ['a phone number', 'call-07700-900123'],
    ['an ISO date', 'dob-1992-03-08'],
    ['a UK date', 'seen-14-11-92x'],
    ['a run of six digits', 'abc123456'],
    ['a dot or colon', 'a.b.c:d:e:f'],
    ['too long', 'a'.repeat(65)],
    ['too short', 'abc'],
  ])('%s is replaced by a fresh id', async (_name, id) => {
    const got = await echoed(id);
    expect(got).not.toBe(id);
    expect(got).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it.each([
    ['a UUID', randomUUID()],
    ['a ULID', '01JD5ZQ8W3K7M9Q2P4R6T8V0XY'],
    ['a plain id', 'console-req-4f2a9c'],
  ])('%s is kept', async (_name, id) => {
    expect(await echoed(id)).toBe(id);
  });
});

describe('names and text', () => {
  const withGiven = (givenName: string) => j1Body({ person: { givenName } });
  const post = (body: unknown) =>
    api.fetch('/v1/referrals', {
      method: 'POST',
      token: t.policeA,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    });

  it.each([
    ['a right-to-left override', 'Dan\u202Eleina'],
    ['a bidi isolate', 'Dan\u2067iel'],
    ['a zero-width space', 'Dan\u200Biel'],
    ['a zero-width joiner', 'Dan\u200Diel'],
    ['a byte-order mark', '\uFEFFDaniel'],
    ['a word joiner', 'Dan\u2060iel'],
    ['a control character', 'Dan\u0007iel'],
  ])('a name with %s is refused with 400 naming the field, without echoing it', async (_name, givenName) => {
    const res = await post(withGiven(givenName));
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.errors.map((e: any) => e.pointer)).toEqual(['/person/givenName']);
    expect(JSON.stringify(problem)).not.toContain('Dan');
  });

  it('a lone surrogate is refused, in a name and in the nearest relative’s name', async () => {
    const body = JSON.stringify(withGiven('Dan__LONE__iel')).replace('__LONE__', '\\ud800');
    const res = await post(body);
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: any) => e.pointer)).toEqual(['/person/givenName']);
    const relative = j1Body();
    relative.nearestRelative = { ...relative.nearestRelative, name: 'Ruth__LONE__' };
    const res2 = await post(JSON.stringify(relative).replace('__LONE__', '\\udc00'));
    expect((await json(res2)).errors.map((e: any) => e.pointer)).toEqual(['/nearestRelative/name']);
  });

  it('names are stored NFC-normalised: a decomposed é and a composed one are the same name', async () => {
    const created = await createReferral(api, t.policeA, withGiven('Rene\u0301e'));
    const read = await json(await api.fetch(`/v1/referrals/${created.id}`, { token: t.lead }));
    expect(read.person.givenName).toBe('Ren\u00e9e');
  });
});
