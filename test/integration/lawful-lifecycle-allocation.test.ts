/** lawful-lifecycle tests, allocation: see ./lawful-lifecycle.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uniqueId } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import {
  api,
  tokens,
  type Json,
  HOUR,
  ago,
  read,
  history,
  boardRow,
  clockOf,
  openFlagCodes,
  expectRefused,
  ok,
  allocatedReferral,
  inTransit,
  atPoliceStation,
  bornYearsAgo,
  EXTENSION,
} from './lawful-lifecycle.fixture.js';

// ---------------------------------------------------------------------------------------------

describe('bullet 1: a hand-over is an allocation (DOMAIN §3.1)', () => {
  it('an unallocated AMHP cannot hand the referral over to themselves (403), nor then record the outcome', async () => {
    const { id } = await allocatedReferral();
    await expectRefused(
      id,
      tokens.alex,
      { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Taking it.' },
      403,
      'sender.not-permitted',
    );
    await expectRefused(
      id,
      tokens.alex,
      { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Admission.' },
      403,
      'sender.not-permitted',
    );
    expect((await read(id)).allocation.amhpId).toBe('amhp-sam');
  });

  it('to an AMHP not authorised for the LSSA: 409 allocation.not-authorised-for-lssa', async () => {
    const { id } = await allocatedReferral(j1Body({ responsibleLssa: 'E06000056' }));
    await expectRefused(
      id,
      tokens.sam,
      { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Going off shift.' },
      409,
      'allocation.not-authorised-for-lssa',
    );
  });

  it('to an AMHP of another service: 400 allocation.not-on-register naming /toAmhpId', async () => {
    const { id } = await allocatedReferral();
    await expectRefused(
      id,
      tokens.sam,
      { type: 'handed-over', toAmhpId: 'amhp-sol', reason: 'Going off shift.' },
      400,
      'allocation.not-on-register',
      '/toAmhpId',
    );
  });

  it('to an inactive AMHP: 409 allocation.inactive', async () => {
    const amhpId = uniqueId('amhp-off');
    const put = await api.fetch(`/v1/amhps/${amhpId}`, {
      method: 'PUT',
      token: tokens.lead,
      json: {
        displayName: 'Robin Inactive',
        active: false,
        authorisedLssas: ['E06000055', 'E06000056'],
        dutyReviewer: false,
      },
    });
    expect(put.status).toBe(201);
    const { id } = await allocatedReferral();
    await expectRefused(
      id,
      tokens.sam,
      { type: 'handed-over', toAmhpId: amhpId, reason: 'Going off shift.' },
      409,
      'allocation.inactive',
    );
  });

  it('to an AMHP who does not exist: 400 allocation.not-on-register naming /toAmhpId', async () => {
    const { id } = await allocatedReferral();
    await expectRefused(
      id,
      tokens.sam,
      { type: 'handed-over', toAmhpId: 'amhp-nobody', reason: 'Going off shift.' },
      400,
      'allocation.not-on-register',
      '/toAmhpId',
    );
  });

  it('to the AMHP who reviewed it (separation of duties): 409 allocation.reviewer-separation', async () => {
    const { id } = await allocatedReferral(); // the lead, amhp-dana, reviewed it
    await expectRefused(
      id,
      tokens.sam,
      { type: 'handed-over', toAmhpId: 'amhp-dana', reason: 'Going off shift.' },
      409,
      'allocation.reviewer-separation',
    );
  });

  it("by the service's machine client: 403 sender.not-permitted", async () => {
    const { id } = await allocatedReferral();
    await expectRefused(
      id,
      tokens.leadSystem,
      { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Rota.' },
      403,
      'sender.not-permitted',
    );
    await expectRefused(
      id,
      tokens.leadSystem,
      { type: 'handed-over', toTeam: 'out-of-hours', reason: 'Rota.' },
      403,
      'sender.not-permitted',
    );
  });
});

describe('bullet 2: who may send clock facts; the extension names its authoriser', () => {
  it(
    'clock-extended by an unallocated AMHP or the service machine client: 403; legal-status-changed by the ' +
      'machine client: 403',
    async () => {
      const { id } = await allocatedReferral();
      await expectRefused(id, tokens.alex, EXTENSION, 403, 'sender.not-permitted');
      await expectRefused(id, tokens.leadSystem, EXTENSION, 403, 'sender.not-permitted');
      await expectRefused(
        id,
        tokens.leadSystem,
        { type: 'legal-status-changed', to: { status: 's2', admittedAt: ago(1) } },
        403,
        'sender.not-permitted',
      );
      expect(clockOf(await read(id), 's136')!.extendedUntil).toBeUndefined();
    },
  );

  it(
    'an extension without its authoriser is refused (400 /authorisedBy); the allocated AMHP’s is recorded ' +
      'with who authorised it',
    async () => {
      const { id } = await allocatedReferral();
      const { authorisedBy: _a, ...anonymous } = EXTENSION;
      const refused = await postEvent(api, tokens.sam, id, anonymous);
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: Json) => e.pointer)).toContain('/authorisedBy');

      const step = await ok(tokens.sam, id, EXTENSION);
      const s136 = clockOf(step.body, 's136')!;
      expect(Date.parse(s136.extendedUntil) - Date.parse(s136.expiresAt)).toBe(6 * HOUR);
      const recorded = (await history(id)).filter((e) => e.type === 'clock-extended');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        amhpId: 'amhp-sam',
        data: {
          authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
          amhpConsulted: 'yes',
          hours: 6,
        },
      });
    },
  );
});

describe('bullet 3: place-of-safety rules on every arrival and transfer, and at intake flagged not refused', () => {
  it(
    'a 16-year-old arriving at a police station after intake raises unlawful-place-of-safety on the referral ' +
      'and the board; a transfer to a health-based place of safety resolves it',
    async () => {
      const { id } = await createReferral(api, tokens.policeA, inTransit({ dateOfBirth: bornYearsAgo(16, 40) }));
      expect(openFlagCodes(await read(id))).toEqual([]);

      const arrivedAt = ago(20);
      await ok(tokens.policeA, id, {
        type: 'arrived-at-place-of-safety',
        placeOfSafetyType: 'police-station',
        occurredAt: arrivedAt,
      });
      let view = await read(id);
      expect(openFlagCodes(view)).toEqual(['unlawful-place-of-safety']);
      expect(view.flags.find((f: Json) => f.code === 'unlawful-place-of-safety').raisedAt).toEqual(expect.any(String));
      expect((await boardRow(id))!.flags).toContain('unlawful-place-of-safety');
      const raised = (await history(id)).find((e) => e.type === 'arrived-at-place-of-safety');
      expect(raised!.data.flagsRaised).toEqual(['unlawful-place-of-safety']);

      await ok(tokens.policeA, id, {
        type: 'transferred-between-places-of-safety',
        placeOfSafetyType: 'health-based-place-of-safety',
        siteId: 'p-hbpos',
        occurredAt: ago(2),
      });
      view = await read(id);
      const flag = view.flags.find((f: Json) => f.code === 'unlawful-place-of-safety');
      expect(flag.resolvedAt).toEqual(expect.any(String));
      expect(openFlagCodes(view)).toEqual([]);
      expect((await boardRow(id))!.flags).not.toContain('unlawful-place-of-safety');
      // The transfer does not restart the clock: it runs from the arrival at the police station.
      expect(clockOf(view, 's136')).toMatchObject({ startsAt: arrivedAt, state: 'running' });
    },
  );

  it(
    'an adult arriving at a police station without an inspector’s authorisation raises ' +
      'police-station-without-authorisation; with it, no flag',
    async () => {
      const { id } = await createReferral(api, tokens.policeA, inTransit());
      await ok(tokens.policeA, id, {
        type: 'arrived-at-place-of-safety',
        placeOfSafetyType: 'police-station',
        occurredAt: ago(20),
      });
      expect(openFlagCodes(await read(id))).toEqual(['police-station-without-authorisation']);
      expect((await boardRow(id))!.flags).toContain('police-station-without-authorisation');

      const authorised = await createReferral(api, tokens.policeA, inTransit());
      await ok(tokens.policeA, authorised.id, {
        type: 'arrived-at-place-of-safety',
        placeOfSafetyType: 'police-station',
        occurredAt: ago(20),
        inspectorAuthorisation: {
          authorisedAt: ago(21),
          ground: 'imminent-risk-of-serious-injury-or-death',
          healthcareProfessionalAvailable: true,
        },
      });
      expect(openFlagCodes(await read(authorised.id))).toEqual([]);
    },
  );

  it(
    'at intake the same cases are 201 with the flag (never 400): a child at a police station, an adult there ' +
      'without authorisation',
    async () => {
      const child = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens.policeA,
        json: atPoliceStation({ dateOfBirth: bornYearsAgo(16, 40) }),
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(child.status).toBe(201);
      const childId = ((await child.json()) as Json).id;
      expect(openFlagCodes(await read(childId))).toEqual(['unlawful-place-of-safety']);
      expect((await boardRow(childId))!.flags).toContain('unlawful-place-of-safety');
      expect((await history(childId))[0]!.data.flagsRaised).toEqual(['unlawful-place-of-safety']);

      const adult = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens.policeA,
        json: atPoliceStation(),
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(adult.status).toBe(201);
      const adultId = ((await adult.json()) as Json).id;
      expect(openFlagCodes(await read(adultId))).toEqual(['police-station-without-authorisation']);
      expect((await boardRow(adultId))!.flags).toContain('police-station-without-authorisation');

      const authorised = await createReferral(
        api,
        tokens.policeA,
        atPoliceStation(
          {},
          { inspectorAuthorisation: { authorisedAt: ago(10), ground: 'imminent-risk-of-serious-injury-or-death' } },
        ),
      );
      expect(openFlagCodes(await read(authorised.id))).toEqual([]);
    },
  );
});
