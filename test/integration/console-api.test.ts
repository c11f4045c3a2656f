/**
 * What the operator console stands on: the local stack serving it under /console with the same
 * security headers CloudFront adds, GET /v1/me (who the Hub takes the caller to be) and
 * GET /v1/amhps (the service's register, for allocation).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ console: true });
});
afterAll(async () => {
  await api?.close();
});

describe('the console on the local stack', () => {
  it('redirects /console to /console/ so relative asset URLs resolve', async () => {
    const res = await fetch(`${api.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it.each([
    ['/console/', 'text/html', '<script type="module" src="app.js">'],
    ['/console/app.js', 'text/javascript', 'config.json'],
    ['/console/app.css', 'text/css', '.clock'],
  ])('serves %s with a strict CSP, no framing and no sniffing', async (path, type, marker) => {
    const res = await fetch(`${api.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    expect(await res.text()).toContain(marker);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('tells the page to sign in with the local password grant of the people client', async () => {
    const res = await fetch(`${api.url}/console/config.json`);
    expect(await res.json()).toEqual({ mode: 'local', tokenUrl: '/oauth2/token', clientId: 'console' });
  });

  it('answers an unknown file with 404 and a write with 405', async () => {
    expect((await fetch(`${api.url}/console/secrets.txt`)).status).toBe(404);
    const post = await fetch(`${api.url}/console/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves the API where it was', async () => {
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });
});

describe('GET /v1/me', () => {
  it.each([
    [
      'dana.lead',
      {
        kind: 'person',
        role: 'amhp-lead',
        organisationId: 'amhp-service',
        displayName: 'Dana Okafor (duty lead)',
        amhpId: 'amhp-dana',
      },
    ],
    [
      'bea.beds',
      { kind: 'person', role: 'bed-manager', organisationId: 'provider-p', displayName: 'Bea Lindqvist (bed manager)' },
    ],
    ['ann.analyst', { kind: 'person', role: 'analyst', organisationId: 'analytics-team', displayName: 'Ann Analyst' }],
  ])('%s: a person with their name and role from the registry', async (username, expected) => {
    const res = await api.fetch('/v1/me', { token: await api.personToken(username) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject(expected);
    expect(body.organisationName).toEqual(expect.any(String));
    if (!('amhpId' in expected)) expect(body).not.toHaveProperty('amhpId');
  });

  it('a partner system: no person name', async () => {
    const res = await api.fetch('/v1/me', { token: await api.clientToken('police-a-triage') });
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      kind: 'system',
      role: 'referrer',
      organisationId: 'police-a',
      lssas: ['E06000055', 'E06000056'],
    });
    expect(body).not.toHaveProperty('displayName');
  });

  it('without a token: 401 problem', async () => {
    const res = await api.fetch('/v1/me');
    expect(res.status).toBe(401);
  });
});

describe('GET /v1/amhps', () => {
  it("lists the caller's own service register, and only it", async () => {
    const north = (await (await api.fetch('/v1/amhps', { token: await api.personToken('sam.amhp') })).json()) as any;
    expect(north.items.map((a: any) => a.amhpId)).toEqual(
      expect.arrayContaining(['amhp-dana', 'amhp-sam', 'amhp-alex']),
    );
    expect(north.items.every((a: any) => a.serviceId === 'amhp-service')).toBe(true);
    const south = (await (await api.fetch('/v1/amhps', { token: await api.personToken('sol.south') })).json()) as any;
    // Other test files add entries to the shared tables: what matters is whose they are.
    expect(south.items.map((a: any) => a.amhpId)).toContain('amhp-sol');
    expect(south.items.every((a: any) => a.serviceId === 'amhp-service-south')).toBe(true);
  });

  it('shows an entry created through PUT, without index keys, and its replacement', async () => {
    const lead = await api.personToken('dana.lead');
    const amhpId = `amhp-${randomUUID().slice(0, 8)}`;
    const body = { displayName: 'Jo Rivers', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false };
    const created = await api.fetch(`/v1/amhps/${amhpId}`, { method: 'PUT', token: lead, json: body });
    expect(created.status).toBe(201);
    const replaced = await api.fetch(`/v1/amhps/${amhpId}`, {
      method: 'PUT',
      token: lead,
      json: { ...body, active: false },
      headers: { 'If-Match': created.headers.get('etag')! },
    });
    expect(replaced.status).toBe(200);
    const list = (await (await api.fetch('/v1/amhps', { token: lead })).json()) as any;
    const entry = list.items.find((a: any) => a.amhpId === amhpId);
    expect(entry).toMatchObject({ displayName: 'Jo Rivers', active: false, version: 2 });
    expect(Object.keys(entry).sort()).toEqual([
      'active',
      'amhpId',
      'authorisedLssas',
      'displayName',
      'dutyReviewer',
      'serviceId',
      'updatedAt',
      'version',
    ]);
    const one = (await (await api.fetch(`/v1/amhps/${amhpId}`, { token: lead })).json()) as any;
    expect(one).toEqual(entry);
  });

  it('is not for bed managers or partner systems', async () => {
    expect((await api.fetch('/v1/amhps', { token: await api.personToken('bea.beds') })).status).toBe(401);
    expect((await api.fetch('/v1/amhps', { token: await api.clientToken('police-a-triage') })).status).toBe(401);
  });
});
