/**
 * The access audit: a scripted session produces exactly the records it should, the auditor can
 * read them (and is audited for it), and a read whose audit cannot be written fails closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddb, tableName } from '../../shared/data/client.js';
import { PEOPLE, startTestApi, uniqueId, type TestApi } from '../support/api.js';
import { createReferral, j1Body } from '../support/referrals.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

const SOUTH_LEAD_SUB = '6f1c2a4e-8b1d-4c7a-9e3f-1a2b3c4d5e07';
const SOUTH_AUDITOR_SUB = '6f1c2a4e-8b1d-4c7a-9e3f-1a2b3c4d5e08';

describe('access audit', () => {
  it('records who did what to which resource, exactly once each, and audits the auditor', async () => {
    // Only this test acts for the Southvale service, so its records are exactly this session's.
    const lead = await api.personToken(PEOPLE.southLead);
    const from = new Date().toISOString();
    const id = uniqueId('amhp');
    const entry = { displayName: 'Audit Test', active: true, authorisedLssas: ['E06000057'], dutyReviewer: false };

    const created = await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: entry,
      headers: { 'X-Correlation-ID': 'audit-session-1' },
    });
    expect(created.status).toBe(201);
    expect(
      (await api.fetch(`/v1/amhps/${id}`, { token: lead, headers: { 'X-Correlation-ID': 'audit-session-2' } })).status,
    ).toBe(200);
    const updated = await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: { ...entry, active: false },
      headers: { 'If-Match': '"1"', 'X-Correlation-ID': 'audit-session-3' },
    });
    expect(updated.status).toBe(200);
    // Refused requests disclose and change nothing: no audit record.
    expect(
      (await api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry, headers: { 'If-Match': '"1"' } }))
        .status,
    ).toBe(412);
    const to = new Date(Date.now() + 1000).toISOString();

    // The Southvale service's own auditor: its organisation's trail is its own (DOMAIN §1).
    const auditor = await api.personToken(PEOPLE.southAuditor);
    const res = await api.fetch(
      `/v1/audit?organisationId=amhp-service-south&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      {
        token: auditor,
        headers: { 'X-Correlation-ID': 'audit-query-1' },
      },
    );
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    const common = {
      organisationId: 'amhp-service-south',
      clientId: 'console',
      actorId: SOUTH_LEAD_SUB,
      resourceType: 'amhp',
      resourceId: id,
    };
    expect(page.items.map(({ auditId: _a, at: _t, ...rest }) => rest)).toEqual([
      { ...common, route: 'putAmhp', method: 'PUT', action: 'create', result: 201, correlationId: 'audit-session-1' },
      { ...common, route: 'getAmhp', method: 'GET', action: 'read', result: 200, correlationId: 'audit-session-2' },
      { ...common, route: 'putAmhp', method: 'PUT', action: 'update', result: 200, correlationId: 'audit-session-3' },
    ]);
    expect(page.nextCursor).toBeNull();

    const mine = (await (
      await api.fetch(`/v1/audit?organisationId=amhp-service-south&from=${encodeURIComponent(from)}`, {
        token: auditor,
      })
    ).json()) as { items: Record<string, unknown>[] };
    expect(mine.items).toContainEqual(
      expect.objectContaining({
        organisationId: 'amhp-service-south',
        actorId: SOUTH_AUDITOR_SUB,
        route: 'listAudit',
        resourceType: 'audit',
        action: 'list',
        correlationId: 'audit-query-1',
      }),
    );
  });

  it(
    'an auditor reads its own organisation’s trail only: its actors, referrals it made or that fall to its ' +
      'service',
    async () => {
      const from = new Date().toISOString();
      const policeA = await api.clientToken('police-a-triage');
      const lead = await api.personToken(PEOPLE.lead);
      const referral = await createReferral(api, policeA, j1Body({ responsibleLssa: 'E06000055' }));
      expect((await api.fetch(`/v1/referrals/${referral.id}`, { token: lead })).status).toBe(200);
      const registerId = uniqueId('amhp');
      expect(
        (
          await api.fetch(`/v1/amhps/${registerId}`, {
            method: 'PUT',
            token: lead,
            json: { displayName: 'Scoped', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
          })
        ).status,
      ).toBe(201);
      const to = new Date(Date.now() + 1000).toISOString();
      const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const read = async (username: string, q: string) => {
        const res = await api.fetch(`/v1/audit?${q}`, { token: await api.personToken(username) });
        expect(res.status).toBe(200);
        return (
          (await res.json()) as {
            items: { organisationId: string; resourceType: string; resourceId: string; route: string }[];
          }
        ).items;
      };
      const trail = (items: { organisationId: string; route: string }[]) =>
        items.map((i) => `${i.organisationId}:${i.route}`).sort();

      // Northshire council's IG team: the referral falls to the AMHP service the council runs.
      expect(trail(await read(PEOPLE.auditor, `referralId=${referral.id}`))).toEqual([
        'amhp-service:getReferral',
        'police-a:createReferral',
      ]);
      // Force A's auditor: the referral was made by force A, so the service's read of it is force A's trail too...
      expect(trail(await read(PEOPLE.policeAuditor, `referralId=${referral.id}`))).toEqual([
        'amhp-service:getReferral',
        'police-a:createReferral',
      ]);
      // ...but the service's register changes are not.
      const serviceTrail = await read(PEOPLE.policeAuditor, `organisationId=amhp-service&${range}&limit=100`);
      expect(serviceTrail.some((i) => i.resourceId === registerId)).toBe(false);
      expect(serviceTrail.every((i) => i.resourceType === 'referral')).toBe(true);
      expect(serviceTrail.some((i) => i.resourceId === referral.id)).toBe(true);
      // Southvale's auditor: nothing of a Northshire referral, by id, by organisation or by range.
      expect(await read(PEOPLE.southAuditor, `referralId=${referral.id}`)).toEqual([]);
      expect(await read(PEOPLE.southAuditor, `organisationId=amhp-service&${range}`)).toEqual([]);
      const southRange = await read(PEOPLE.southAuditor, `${range}&limit=100`);
      expect(southRange.filter((i) => i.organisationId !== 'amhp-service-south')).toEqual([]);
      // The IG team does not read Southvale's trail.
      expect(await read(PEOPLE.auditor, `organisationId=amhp-service-south&${range}`)).toEqual([]);
    },
  );

  it('pages with an opaque cursor and refuses a forged one', async () => {
    const lead = await api.personToken(PEOPLE.lead);
    const id = uniqueId('amhp');
    await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: { displayName: 'Paged', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
    });
    const auditor = await api.personToken(PEOPLE.auditor);
    const ids = new Set<string>();
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 1000).toISOString();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string =
        `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=2` +
        `${cursor ? `&cursor=${cursor}` : ''}`;
      const res: Response = await api.fetch(`/v1/audit?${qs}`, { token: auditor });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { auditId: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) ids.add(item.auditId);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 200);
    expect(ids.size).toBeGreaterThanOrEqual(1);
    const forged = Buffer.from(
      JSON.stringify({ key: { dayKey: 'DAY#1999-01-01', PK: 'x', SK: 'y', atKey: 'z' } }),
    ).toString('base64url');
    const bad = await api.fetch(
      `/v1/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&cursor=${forged}`,
      { token: auditor },
    );
    expect(bad.status).toBe(400);
  });

  it('needs a referral, an organisation or a range; other roles cannot read it', async () => {
    const auditor = await api.personToken(PEOPLE.auditor);
    const res = await api.fetch('/v1/audit', { token: auditor });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { pointer: string }[] }).errors[0]!.pointer).toBe('/query/referralId');
    // A lead's token lacks audit.read: the authorizer answers 401, as API Gateway would.
    expect((await api.fetch('/v1/audit?organisationId=x', { token: await api.personToken(PEOPLE.lead) })).status).toBe(
      401,
    );
  });

  it('a read whose audit cannot be written fails closed with 503 and discloses nothing', async () => {
    const lead = await api.personToken(PEOPLE.lead);
    const auditTable = tableName('audit');
    // Fault injection at the SDK boundary: every write to the audit table fails as if the table were unavailable.
    const stack = ddb().middlewareStack;
    stack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: { Put?: { TableName?: string } }[] };
        if (input.TransactItems?.some((i) => i.Put?.TableName === auditTable)) {
          throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failAuditWrites' },
    );
    try {
      const res = await api.fetch('/v1/amhps/amhp-sam', { token: lead });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const text = await res.text();
      expect(text).not.toContain('Sam Patel');
      expect(res.headers.get('etag')).toBeNull();
      // A write whose audit cannot be written is not made either: one transaction.
      const id = uniqueId('amhp');
      const put = await api.fetch(`/v1/amhps/${id}`, {
        method: 'PUT',
        token: lead,
        json: { displayName: 'Never', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
      });
      expect(put.status).toBe(503);
      stack.remove('failAuditWrites');
      expect((await api.fetch(`/v1/amhps/${id}`, { token: lead })).status).toBe(404);
    } finally {
      stack.remove('failAuditWrites');
    }
  });
});
