/**
 * The served OpenAPI document and the server agree (#17): the document at /openapi.json names
 * response headers and examples, and the real handlers (local adapter → handler → DynamoDB
 * Local) send those headers and accept those examples. Also: every problem `type` URI answers
 * 200 with its page, an unsupported Accept is 406, and authorised answers carry RateLimit-Policy.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_KINDS } from '../../shared/http/problem.js';
import { codesOf } from '../../shared/http/problem-catalogue.js';
import { REFERRAL_CREATE_EXAMPLES } from '../../shared/schemas/referral.js';
import { PEOPLE, startTestApi, uniqueId, type TestApi } from '../support/api.js';

let api: TestApi;
let doc: any;
beforeAll(async () => {
  api = await startTestApi();
  doc = await (await api.fetch('/openapi.json')).json();
});
afterAll(async () => api.close());

const CLIENT_OF_AGENCY: Record<string, string> = {
  police: 'police-a-triage',
  ambulance: 'ambulance-cad',
  'emergency-department': 'ae-liaison-system',
  cmht: 'cmht-system',
};

/** The success headers the served document gives an operation at a status, by name. */
const documentedHeaders = (path: string, method: string, status: number): string[] =>
  Object.keys(doc.paths[path][method].responses[String(status)]?.headers ?? {}).filter(
    (h) => doc.components.headers[h]?.required !== false,
  );

const expectHeaders = (res: Response, names: string[]) => {
  for (const name of names) expect(res.headers.get(name), name).not.toBeNull();
};

describe('the served document and the server agree', () => {
  it(
    'every agency example of POST /v1/referrals is accepted ' + 'by the real handler, with the documented headers',
    async () => {
      const examples = doc.paths['/v1/referrals'].post.requestBody.content['application/json'].examples as Record<
        string,
        { value: unknown }
      >;
      expect(Object.keys(examples).sort()).toEqual(Object.keys(REFERRAL_CREATE_EXAMPLES).sort());
      for (const [name, example] of Object.entries(examples)) {
        const agency = REFERRAL_CREATE_EXAMPLES[name as keyof typeof REFERRAL_CREATE_EXAMPLES].agencyType;
        const token = await api.clientToken(CLIENT_OF_AGENCY[agency]!);
        const res = await api.fetch('/v1/referrals', {
          method: 'POST',
          token,
          json: example.value,
          headers: { 'Idempotency-Key': randomUUID() },
        });
        expect(res.status, `${name}: ${await res.clone().text()}`).toBe(201);
        expectHeaders(res, documentedHeaders('/v1/referrals', 'post', 201));
        expect(res.headers.get('location')).toMatch(/^\/v1\/referrals\/[0-9A-Z]{26}$/);
        // …and the read back has the documented ETag and RateLimit-Policy.
        const read = await api.fetch(res.headers.get('location')!, { token });
        expect(read.status).toBe(200);
        expectHeaders(read, documentedHeaders('/v1/referrals/{id}', 'get', 200));
      }
    },
  );

  it(
    'a create-or-replace PUT sends the documented 201 ' + 'headers when it creates and the 200 ones when it replaces',
    async () => {
      const lead = await api.personToken(PEOPLE.lead);
      const example = doc.paths['/v1/amhps/{amhpId}'].put.requestBody.content['application/json'].example;
      const id = uniqueId('amhp');
      const created = await api.fetch(`/v1/amhps/${id}`, {
        method: 'PUT',
        token: lead,
        json: example,
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(created.status, await created.clone().text()).toBe(201);
      expectHeaders(created, documentedHeaders('/v1/amhps/{amhpId}', 'put', 201));
      const replay = await api.fetch(`/v1/amhps/${id}`, {
        method: 'PUT',
        token: lead,
        json: example,
        headers: { 'If-Match': created.headers.get('etag')! },
      });
      expect(replay.status).toBe(200);
      expectHeaders(replay, documentedHeaders('/v1/amhps/{amhpId}', 'put', 200));
    },
  );

  it('the capacity examples are accepted by the real handlers, with the documented headers', async () => {
    const beds = await api.clientToken('provider-p-beds');
    const exampleOf = (path: string, method: string) =>
      doc.paths[path][method].requestBody.content['application/json'].example;
    const unitId = uniqueId('unit');
    const unit = await api.fetch(`/v1/bed-units/${unitId}`, {
      method: 'PUT',
      token: beds,
      json: exampleOf('/v1/bed-units/{unitId}', 'put'),
    });
    expect(unit.status, await unit.clone().text()).toBe(201);
    expectHeaders(unit, documentedHeaders('/v1/bed-units/{unitId}', 'put', 201));
    const availability = await api.fetch(`/v1/bed-units/${unitId}/availability`, {
      method: 'PUT',
      token: beds,
      json: exampleOf('/v1/bed-units/{unitId}/availability', 'put'),
    });
    expect(availability.status, await availability.clone().text()).toBe(200);
    expectHeaders(availability, documentedHeaders('/v1/bed-units/{unitId}/availability', 'put', 200));
    const siteId = uniqueId('site');
    const site = await api.fetch(`/v1/places-of-safety/${siteId}`, {
      method: 'PUT',
      token: beds,
      json: exampleOf('/v1/places-of-safety/{siteId}', 'put'),
    });
    expect(site.status, await site.clone().text()).toBe(201);
    expectHeaders(site, documentedHeaders('/v1/places-of-safety/{siteId}', 'put', 201));
    const status = await api.fetch(`/v1/places-of-safety/${siteId}/status`, {
      method: 'PUT',
      token: beds,
      json: exampleOf('/v1/places-of-safety/{siteId}/status', 'put'),
    });
    expect(status.status, await status.clone().text()).toBe(200);
  });

  it(
    "the referral event example passes the handler's schema stage (any refusal is a domain rule with a " + 'code)',
    async () => {
      const police = await api.clientToken('police-a-triage');
      const created = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: police,
        json: REFERRAL_CREATE_EXAMPLES['police-s136-roadside'].value,
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(created.status).toBe(201);
      const lead = await api.personToken(PEOPLE.lead);
      const example = doc.paths['/v1/referrals/{id}/events'].post.requestBody.content['application/json'].example;
      const res = await api.fetch(`${created.headers.get('location')}/events`, {
        method: 'POST',
        token: lead,
        json: example,
        headers: { 'If-Match': created.headers.get('etag')! },
      });
      if (res.status !== 200)
        expect(((await res.json()) as { code?: string }).code, `status ${res.status}`).toMatch(/^[a-z-]+\.[a-z.-]+$/);
      else expectHeaders(res, documentedHeaders('/v1/referrals/{id}/events', 'post', 200));
    },
  );

  it('documents Idempotency-Key as the server enforces it', async () => {
    const param = doc.paths['/v1/referrals'].post.parameters.find(
      (p: { name: string }) => p.name === 'Idempotency-Key',
    );
    const pattern = new RegExp(param.schema.pattern);
    const token = await api.clientToken('police-a-triage');
    const body = REFERRAL_CREATE_EXAMPLES['police-s136-roadside'].value;
    for (const key of ['short', 'has space in it', 'x'.repeat(129)]) {
      expect(pattern.test(key)).toBe(false);
      const res = await api.fetch('/v1/referrals', {
        method: 'POST',
        token,
        json: body,
        headers: { 'Idempotency-Key': key },
      });
      expect(res.status, key).toBe(400);
    }
  });

  it('answers 429 with the documented Retry-After when a client exceeds its limit', async () => {
    const throttled = await startTestApi({ throttle: true });
    try {
      // The capacity extract allows 2 requests/s, burst 5, per client: 20 at once must meet the limit.
      const token = await throttled.clientToken('analytics-dashboard');
      const path = '/v1/extracts/capacity';
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          throttled.fetch(`${path}?period=month&from=2026-01-01&to=2026-01-31`, { token }),
        ),
      );
      const limited = answers.find((a) => a.status === 429);
      expect(limited).toBeDefined();
      expect(Object.keys(doc.paths[path].get.responses['429'].headers)).toContain('Retry-After');
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const served = answers.find((a) => a.status === 200);
      expect(served?.headers.get('ratelimit-policy')).toBe('"burst";q=5;w=1, "sustained";q=120;w=60');
    } finally {
      await throttled.close();
    }
  });
});

describe('problems, Accept and rate limits', () => {
  it('every problem type URI answers 200 with its page, and the page lists its codes', async () => {
    for (const kind of Object.keys(PROBLEM_KINDS) as (keyof typeof PROBLEM_KINDS)[]) {
      const res = await fetch(`${api.url}/problems/${kind}`);
      expect(res.status, kind).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain(PROBLEM_KINDS[kind].title);
      for (const { code } of codesOf(kind)) expect(html, `${kind} ${code}`).toContain(code);
    }
    expect((await fetch(`${api.url}/problems/no-such-problem`)).status).toBe(404);
  });

  it('the type of a real problem resolves to its page', async () => {
    const res = await api.fetch('/v1/amhps/amhp-sam');
    const { type } = (await res.json()) as { type: string };
    expect(type).toBe(`${api.url}/problems/unauthorized`);
    expect((await fetch(type)).status).toBe(200);
  });

  it('Accept: application/xml → 406 problem on JSON and CSV routes; JSON, */* and text/csv are served', async () => {
    const lead = await api.personToken(PEOPLE.lead);
    const xml = await api.fetch('/v1/amhps', { token: lead, headers: { Accept: 'application/xml' } });
    expect(xml.status).toBe(406);
    expect(xml.headers.get('content-type')).toContain('application/problem+json');
    expect(((await xml.json()) as { type: string }).type).toMatch(/\/problems\/not-acceptable$/);
    expect((await api.fetch('/v1/amhps', { token: lead, headers: { Accept: 'application/json' } })).status).toBe(200);
    expect((await api.fetch('/v1/amhps', { token: lead, headers: { Accept: 'text/html, */*;q=0.1' } })).status).toBe(
      200,
    );
    const analyst = await api.personToken(PEOPLE.analyst);
    const query = '/v1/extracts/capacity?period=month&from=2026-01-01&to=2026-01-31';
    expect((await api.fetch(query, { token: analyst, headers: { Accept: 'application/xml' } })).status).toBe(406);
    const csv = await api.fetch(query, { token: analyst, headers: { Accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
  });

  it('every authorised answer carries RateLimit-Policy, errors included; public ones do not', async () => {
    const lead = await api.personToken(PEOPLE.lead);
    const ok = await api.fetch('/v1/amhps', { token: lead });
    expect(ok.headers.get('ratelimit-policy')).toBe('"burst";q=40;w=1, "sustained";q=1200;w=60');
    const missing = await api.fetch('/v1/amhps/amhp-nobody-here', { token: lead });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('ratelimit-policy')).toMatch(/^"burst";q=\d+;w=1, "sustained";q=\d+;w=60$/);
    expect((await api.fetch('/health')).headers.get('ratelimit-policy')).toBeNull();
  });
});
