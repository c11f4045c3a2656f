/**
 * Referrals through the real path: HTTP → adapter → handlers → DynamoDB Local. JOURNEYS J1,
 * J2, J3 and J6, the lifecycle's rules, tenancy, and the clock sweep.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReferral, j1Body, postEvent, wholeBoard } from '../support/referrals.js';

import { api, get, inHours, tokens, useReferralsApi } from './referrals.fixture.js';

useReferralsApi();

describe('intake', () => {
  it('creates: 201 with Location, ETag, the reference and the s.136 clock from arrival', async () => {
    const body = j1Body();
    const res = await api.fetch('/v1/referrals', {
      method: 'POST',
      token: tokens.policeA,
      json: body,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(201);
    const view = (await res.json()) as Record<string, any>;
    expect(res.headers.get('location')).toBe(`/v1/referrals/${view.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(view).toMatchObject({
      status: 'received',
      version: 1,
      referrerReference: body.referrer.referrerReference,
      responsibleLssa: 'E06000055',
      basis: 'consideration',
    });
    expect(view.reference).toMatch(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const s136 = view.clocks.find((c: any) => c.power === 's136');
    expect(s136.startsAt).toBe(body.legalStatus.arrivedAtPlaceOfSafetyAt);
    expect(Date.parse(s136.expiresAt) - Date.parse(s136.startsAt)).toBe(24 * 3_600_000);
    // The referrer's view carries no narrative back.
    expect(JSON.stringify(view)).not.toContain('parapet');
  });

  it('replays a retried create; refuses the key with another body (422)', async () => {
    const body = j1Body();
    const key = randomUUID();
    const send = (b: unknown) =>
      api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens.policeA,
        json: b,
        headers: { 'Idempotency-Key': key },
      });
    const first = await send(body);
    const again = await send(body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const other = await send({ ...body, urgency: 'planned' });
    expect(other.status).toBe(422);
  });

  it('requires an Idempotency-Key on create', async () => {
    const res = await api.fetch('/v1/referrals', { method: 'POST', token: tokens.policeA, json: j1Body() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].pointer).toBe('/headers/Idempotency-Key');
  });

  it('20 concurrent identical creates (a phone signal dropping) → one referral', async () => {
    const body = j1Body();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.fetch('/v1/referrals', {
          method: 'POST',
          token: tokens.policeA,
          json: body,
          headers: { 'Idempotency-Key': key },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const ids = new Set((await Promise.all(answers.map((a) => a.json()))).map((v: any) => v.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const history = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.lead })).json()) as {
      items: unknown[];
    };
    expect(history.items).toHaveLength(1);
  });

  it('records and flags an s.136 in a dwelling (never refused: DOMAIN §2), refuses what the Hub decides', async () => {
    const home = await createReferral(api, tokens.policeA, j1Body({ legalStatus: { detainedAtLocationType: 'home' } }));
    const full = (await (await get(home.id, tokens.lead)).json()) as any;
    expect(full.flags.map((f: any) => f.code)).toEqual(['s136-in-dwelling']);
    const unknownLssa = await api.fetch('/v1/referrals', {
      method: 'POST',
      token: tokens.policeA,
      json: j1Body({ responsibleLssa: 'E06000999' }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(unknownLssa.status).toBe(400);
    expect(((await unknownLssa.json()) as any).errors.map((e: any) => e.pointer)).toContain('/responsibleLssa');
  });

  it('only referrers create', async () => {
    const res = await api.fetch('/v1/referrals', {
      method: 'POST',
      token: tokens.beds,
      json: j1Body(),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(401); // a bed system's token has no referrals.write scope: the authorizer refuses
  });

  it('flags a possible duplicate for the AMHP service, not to another referrer', async () => {
    const person = { givenName: 'Duplicate', familyName: 'Person', dateOfBirth: '1980-01-02' };
    const first = await createReferral(api, tokens.policeA, j1Body({ person }));
    const second = await createReferral(api, tokens.ae, j1Body({ person }));
    expect(second.body.possibleDuplicateOf).toBeUndefined();
    const full = (await (await get(second.id, tokens.lead)).json()) as any;
    expect(full.possibleDuplicateOf).toEqual([first.id]);
    const own = await createReferral(api, tokens.ae, j1Body({ person }));
    expect(own.body.possibleDuplicateOf).toEqual([second.id]);
  });
});

describe('J1: Saturday night s.136 from a street-triage car', () => {
  it('runs end to end: review, accept, allocate another AMHP, escalation, extension, outcome, close', async () => {
    const created = await createReferral(api, tokens.policeA, j1Body({ person: { nhsNumber: '9434765919' } }));
    const id = created.id;

    // The board shows it; force B cannot see it.
    expect((await wholeBoard(api, tokens.lead)).map((r) => r.id)).toContain(id);
    expect((await get(id, tokens.policeB)).status).toBe(404);
    expect((await get(id, tokens.south)).status).toBe(404);

    let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, created.etag);
    expect(step.status).toBe(200);
    step = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' },
      step.etag!,
    );
    expect(step.body.status).toBe('accepted');
    // Separation of duties: she reviewed it, so she may not assess it.
    const self = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'allocate', amhpId: 'amhp-dana', expectedAttendanceAt: inHours(1) },
      step.etag!,
    );
    expect(self.status).toBe(409);
    step = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHours(1) },
      step.etag!,
    );
    expect(step.body).toMatchObject({ status: 'allocated', allocation: { amhpId: 'amhp-sam' } });

    for (const event of [
      { type: 's12-doctor-requested' },
      { type: 's12-doctor-arrived' },
      { type: 'start-assessment' },
    ]) {
      step = await postEvent(api, tokens.sam, id, event, step.etag!);
      expect(step.status, event.type).toBe(200);
    }
    const ext = {
      type: 'clock-extended',
      power: 's136',
      hours: 12,
      ground: 'condition-makes-assessment-impracticable',
      authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
      amhpConsulted: 'yes',
    };
    step = await postEvent(api, tokens.sam, id, ext, step.etag!);
    expect(step.status).toBe(200);
    const s136 = step.body.clocks.find((c: any) => c.power === 's136');
    expect(Date.parse(s136.extendedUntil) - Date.parse(s136.expiresAt)).toBe(12 * 3_600_000);
    const again = await postEvent(api, tokens.sam, id, ext, step.etag!);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already extended/);

    for (const event of [
      { type: 'medical-examination-completed', recommendationMade: true },
      { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' },
      { type: 'escalated', escalationType: 'no-bed', bedType: 'adult-acute', whereWaiting: 'emergency-department' },
      { type: 'bed-identified', outOfArea: true },
    ]) {
      step = await postEvent(api, tokens.sam, id, event, step.etag!);
      expect(step.status, event.type).toBe(200);
    }
    step = await postEvent(
      api,
      tokens.sam,
      id,
      {
        type: 'record-outcome',
        outcome: 'detained-s2',
        nextSteps: 'Conveyance by ambulance to an out-of-area adult acute bed.',
      },
      step.etag!,
    );
    expect(step.body.status).toBe('outcome-recorded');
    expect(step.body.clocks.find((c: any) => c.power === 's136').state).toBe('ended');
    step = await postEvent(api, tokens.lead, id, { type: 'close', reason: 'completed' }, step.etag!);
    expect(step.body.status).toBe('closed');

    // Force A sees the outcome and next steps only: no risk notes, no narrative, no AMHP notes.
    const mine = (await (await get(id, tokens.policeA)).json()) as any;
    expect(mine).toMatchObject({
      status: 'closed',
      outcome: { outcome: 'detained-s2', nextSteps: expect.stringContaining('ambulance') },
      allocation: { amhpAllocated: true },
    });
    const text = JSON.stringify(mine);
    for (const secret of ['knife', 'parapet', 'amhp-sam', 'Detained under s.136; assessment', 'Ruth'])
      expect(text).not.toContain(secret);
    const history = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.policeA })).json()) as any;
    expect(history.items.map((e: any) => e.type)).toEqual([
      'received',
      'accepted',
      'allocated',
      'clock-extended',
      'outcome-recorded',
      'closed',
    ]);
    expect(JSON.stringify(history)).not.toContain('assessment needed tonight');
    const full = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.lead })).json()) as any;
    expect(full.items.map((e: any) => e.seq)).toEqual(full.items.map((_: unknown, i: number) => i + 1));
    // Closed: off the board.
    expect((await wholeBoard(api, tokens.lead)).map((r) => r.id)).not.toContain(id);
  });
});
