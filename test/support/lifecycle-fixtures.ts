/**
 * Pure fixtures for the referral transition: intake bodies, the register and the senders of
 * the seeded registry, without a database. Used by the table tests and the model-based test.
 */
import { randomUUID } from 'node:crypto';
import { receive, type RegisterEntry, type Sender } from '../../shared/domain/referral-transition.js';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { REFERRAL_CREATE_EXAMPLE, ReferralCreate } from '../../shared/schemas/referral.js';

export const SERVICE = 'amhp-service';

/** The register as seeded, plus an inactive AMHP; `amhp-ghost` is on no register. */
export const REGISTER: Record<string, RegisterEntry> = {
  'amhp-dana': {
    amhpId: 'amhp-dana',
    serviceId: SERVICE,
    active: true,
    authorisedLssas: ['E06000055', 'E06000056'],
    dutyReviewer: true,
  },
  'amhp-sam': {
    amhpId: 'amhp-sam',
    serviceId: SERVICE,
    active: true,
    authorisedLssas: ['E06000055', 'E06000056'],
    dutyReviewer: false,
  },
  'amhp-alex': {
    amhpId: 'amhp-alex',
    serviceId: SERVICE,
    active: true,
    authorisedLssas: ['E06000055'],
    dutyReviewer: true,
  },
  'amhp-ivy': {
    amhpId: 'amhp-ivy',
    serviceId: SERVICE,
    active: false,
    authorisedLssas: ['E06000055', 'E06000056'],
    dutyReviewer: false,
  },
  'amhp-sol': {
    amhpId: 'amhp-sol',
    serviceId: 'amhp-service-south',
    active: true,
    authorisedLssas: ['E06000057'],
    dutyReviewer: true,
  },
};
export const AMHP_IDS = [...Object.keys(REGISTER), 'amhp-ghost'] as const;

const person = (sub: string, role: string, amhpId?: string, organisationId = SERVICE): Sender => ({
  organisationId,
  role,
  actorId: sub,
  ...(amhpId ? { amhpId, register: REGISTER[amhpId]! } : {}),
});

/** Everyone who may try: people and machine clients of the service, referrers, others. */
export const SENDERS = {
  lead: person('sub-dana', 'amhp-lead', 'amhp-dana'),
  leadSystem: { organisationId: SERVICE, role: 'amhp-lead' } as Sender,
  sam: person('sub-sam', 'amhp', 'amhp-sam'),
  alex: person('sub-alex', 'amhp', 'amhp-alex'),
  sol: person('sub-sol', 'amhp-lead', 'amhp-sol', 'amhp-service-south'),
  policeA: { organisationId: 'police-a', role: 'referrer' } as Sender,
  policeB: { organisationId: 'police-b', role: 'referrer' } as Sender,
  beds: { organisationId: 'provider-p', role: 'bed-manager' } as Sender,
} as const;
export type SenderName = keyof typeof SENDERS;

type Json = any;

/** Intake bodies covering the legal statuses whose clocks the rules guard. */
export function intakeBody(kind: IntakeKind, now: Date): Json {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const body: Json = structuredClone(REFERRAL_CREATE_EXAMPLE);
  // Another person each time (through HTTP the referrals share one table): a random name of
  // letters and no NHS number, so no referral of another test is taken for a duplicate.
  const letters = randomUUID()
    .replace(/-/g, '')
    .slice(0, 12)
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
  body.person = { ...body.person, givenName: `Model${letters}` };
  delete body.person.nhsNumber;
  switch (kind) {
    case 'adult-at-ae':
      body.legalStatus = { ...body.legalStatus, detainedAt: at(40), arrivedAtPlaceOfSafetyAt: at(10) };
      break;
    case 'detained-on-the-way':
      body.legalStatus = { status: 's136', detainedAt: at(20), detainedAtLocationType: 'public-place' };
      body.location = { type: 'public-place', description: 'Town centre', address: { lines: ['High Street'] } };
      break;
    case 'child-in-custody':
      body.person = { ...body.person, dateOfBirth: `${now.getUTCFullYear() - 16}-01-15` };
      body.location = { type: 'custody', siteId: 'FORCE-A-CUSTODY' };
      body.legalStatus = {
        status: 's136',
        detainedAt: at(60),
        detainedAtLocationType: 'public-place',
        arrivedAtPlaceOfSafetyAt: at(30),
        placeOfSafetyType: 'police-station',
      };
      break;
    case 's5-4-on-ward':
      body.location = { type: 'inpatient-ward', siteId: 'RC9-WARD-7' };
      body.legalStatus = { status: 's5-4', recordedAt: at(30) };
      break;
    case 's135-kept':
      body.location = { type: 'home', address: { lines: ['1 Example Road'] } };
      body.legalStatus = {
        status: 's135-1',
        detainedAt: at(50),
        detainedAtLocationType: 'home',
        keptWhereFoundAt: at(40),
        enteredPremisesAt: at(55),
        placeOfSafetyType: 'dwelling-with-consent',
      };
      break;
    case 'informal':
      body.location = { type: 'home', address: { lines: ['1 Example Road'] } };
      body.legalStatus = { status: 'informal' };
      body.urgency = 'planned';
      break;
    case 's13-4-request':
      // A nearest relative's request (s.13(4)): the person at home, informal.
      body.basis = 's13-4';
      body.location = { type: 'home', address: { lines: ['1 Example Road'] } };
      body.legalStatus = { status: 'informal' };
      body.urgency = 'today';
      break;
    case 'on-s2':
      // Detained under s.2 three days ago, being considered for s.3.
      body.location = { type: 'inpatient-ward', siteId: 'RC9-WARD-7' };
      body.legalStatus = { status: 's2', admittedAt: at(3 * 24 * 60) };
      body.urgency = 'planned';
      break;
  }
  return body;
}
export const INTAKE_KINDS = [
  'adult-at-ae',
  'detained-on-the-way',
  'child-in-custody',
  's5-4-on-ward',
  's135-kept',
  'informal',
  's13-4-request',
  'on-s2',
] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];

let counter = 0;
/** A referral as received from police force A, in LSSA E06000055 (or the one given). */
export function received(kind: IntakeKind, now: Date, lssa = 'E06000055'): ReferralRecord {
  const body = ReferralCreate.parse({ ...intakeBody(kind, now), responsibleLssa: lssa });
  counter += 1;
  return receive({
    body,
    id: `01JTESTREFERRAL${String(counter).padStart(11, '0')}`.slice(0, 26),
    reference: 'R-TEST-0000',
    serviceId: SERVICE,
    referrer: { organisationId: 'police-a', agencyType: 'police', clientId: 'police-a-triage' },
    now,
  });
}
