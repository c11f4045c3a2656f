/** feedback tests, subscriptions: see ./feedback.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { verifyWebhook } from '../../shared/domain/feedback.js';
import {
  nodeVerifies,
  api,
  poller,
  tokens,
  receiver,
  subscribe,
  triageAndAllocate,
  assessAndRecordOutcome,
  allDeliveriesAbout,
} from './feedback.fixture.js';

describe('subscriptions', () => {
  it('201 with a whsec_ secret shown once; GET never shows it; an idempotent replay does not either', async () => {
    const r = await receiver(() => 204);
    const key = randomUUID();
    const send = () =>
      api.fetch('/v1/subscriptions', {
        method: 'POST',
        token: tokens.policeB,
        json: { url: r.url, events: ['accepted'] },
        headers: { 'Idempotency-Key': key },
      });
    const res = await send();
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, any>;
    expect(res.headers.get('location')).toBe(`/v1/subscriptions/${created.id}`);
    expect(created).toMatchObject({
      url: r.url,
      events: ['accepted'],
      status: 'active',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await again.json()) as Record<string, any>;
    expect(replayed.id).toBe(created.id);
    expect(replayed.secret).toBeUndefined();
    const read = await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeB });
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).not.toContain('whsec_');
    // Another organisation's subscription does not exist for you.
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeA })).status).toBe(404);
    expect(
      (await api.fetch(`/v1/subscriptions/${created.id}`, { method: 'DELETE', token: tokens.policeA })).status,
    ).toBe(404);
    // Delete: gone, and its secret with it.
    expect(
      (await api.fetch(`/v1/subscriptions/${created.id}`, { method: 'DELETE', token: tokens.policeB })).status,
    ).toBe(204);
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeB })).status).toBe(404);
  });

  it(
    'refuses private, link-local, metadata and non-local ' + 'loopback URLs (400 at /url); only referrers subscribe',
    async () => {
      for (const url of [
        'http://10.0.0.5/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://[fe80::1]/x',
        'http://127.0.0.2:9/x',
        'http://192.168.1.10/x',
        'http://[::ffff:169.254.169.254]/',
        'ftp://127.0.0.1/x',
      ]) {
        const res = await api.fetch('/v1/subscriptions', {
          method: 'POST',
          token: tokens.policeA,
          json: { url, events: ['accepted'] },
          headers: { 'Idempotency-Key': randomUUID() },
        });
        expect(res.status, url).toBe(400);
        const problem = (await res.json()) as Record<string, any>;
        expect(problem.errors[0].pointer).toBe('/url');
        expect(JSON.stringify(problem)).not.toContain(url);
      }
      const asLead = await api.fetch('/v1/subscriptions', {
        method: 'POST',
        token: tokens.leadSystem,
        json: { url: 'http://127.0.0.1:9/x', events: ['accepted'] },
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(asLead.status).toBe(403);
    },
  );
});

describe('J1 through triage and outcome', () => {
  it('the receiver gets exactly one verifying message per feedback event, in order, minimised', async () => {
    const r = await receiver(() => 204);
    const sub = await subscribe(tokens.policeA, r.url);
    const body = j1Body({ person: { nhsNumber: '9434765919', familyName: 'Marshfield', dateOfBirth: '1991-04-07' } });
    body.referrer.referrerReference = `INC-${randomUUID().slice(0, 8)}`;
    body.location = {
      type: 'emergency-department',
      siteId: 'RC9-ED',
      address: { lines: ['Northshire General Hospital', '14 Quayside Road'], postcode: 'MK40 1AB' },
    };
    const created = await createReferral(api, tokens.policeA, body);
    let etag = await triageAndAllocate(created.id, created.etag);
    etag = await assessAndRecordOutcome(created.id, etag);
    await postEvent(api, tokens.lead, created.id, { type: 'close', reason: 'completed' }, etag);
    await poller.drain();

    const got = r.about(created.id);
    expect(got.map((m) => m.message.type)).toEqual([
      'referral.accepted',
      'referral.allocated',
      'referral.outcome-recorded',
    ]);
    expect(got.map((m) => m.message.data.sequence)).toEqual(
      [...got.map((m) => m.message.data.sequence)].sort((a, b) => a - b),
    );
    expect(new Set(got.map((m) => m.headers['webhook-id'])).size).toBe(3);
    for (const m of got) {
      expect(m.headers['content-type']).toBe('application/json');
      expect(m.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(
        verifyWebhook({
          headers: m.headers as Record<string, string>,
          body: m.body,
          secret: sub.secret,
          nowSeconds: Date.now() / 1000,
        }),
      ).toEqual({ ok: true });
      expect(nodeVerifies(m.headers, m.body, sub.secret)).toBe(true);
      expect(m.message.data).toMatchObject({
        referralId: created.id,
        reference: created.reference,
        referrerReference: body.referrer.referrerReference,
        contact: { amhpServiceId: 'amhp-service' },
      });
      for (const secret of [
        body.person.givenName,
        'Marshfield',
        '9434765919',
        '943 476 5919',
        '1991-04-07',
        'Quayside',
        'MK40',
        'parapet',
        'knife',
        'assessment needed tonight',
        'amhp-sam',
        'Ruth',
        'Jordan',
      ]) {
        expect(m.body, secret).not.toContain(secret);
      }
    }
    expect(got[0]!.message.data.status).toBe('accepted');
    expect(got[1]!.message.data.expectedAttendanceAt).toEqual(expect.any(String));
    expect(got[2]!.message.data).toMatchObject({
      status: 'outcome-recorded',
      disposition: 'detained-s2',
      nextSteps: expect.stringContaining('adult acute bed'),
    });

    // The subscriber's list: three delivered, one attempt each.
    const listed = await allDeliveriesAbout(tokens.policeA, sub.id, created.id);
    expect(listed.map((d) => [d.event, d.status, d.attempts])).toEqual([
      ['accepted', 'delivered', 1],
      ['allocated', 'delivered', 1],
      ['outcome-recorded', 'delivered', 1],
    ]);
    expect(listed.map((d) => d.messageId)).toEqual(got.map((m) => m.headers['webhook-id']));
    // The AMHP service sees the same deliveries of its referral.
    const service = await api.fetch(`/v1/deliveries?referralId=${created.id}`, { token: tokens.lead });
    expect(service.status).toBe(200);
    const serviceItems = ((await service.json()) as { items: Record<string, any>[] }).items;
    expect(serviceItems.map((d) => d.event)).toEqual(['accepted', 'allocated', 'outcome-recorded']);
    expect(JSON.stringify(serviceItems)).not.toContain(r.url);
  });
});
