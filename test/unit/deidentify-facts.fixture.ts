/** J1 as stored, the pseudonymisation keys and the fact builders the deidentify-facts tests share. */
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { demandFactOf, type DemandFact, type ReferralLike } from '../../shared/deidentify/facts.js';
import type { ServiceCalendar } from '../../shared/deidentify/service-calendar.js';

export const KEYS = { pseudonymisation: Buffer.alloc(32, 3) };

/** J1 as stored after the outcome: a ReferralRecord-typed value, so the call below type-checks it. */
export const J1: ReferralRecord = {
  id: '01JD3S6W4Q8Z2N7K5B9X0C1V2M',
  reference: 'AMHP-2026-7Q4K9',
  status: 'outcome-recorded',
  version: 9,
  changeSeq: 14,
  receivedAt: '2026-11-14T23:52:17.123Z',
  updatedAt: '2026-11-15T06:10:00.000Z',
  serviceId: 'svc-e06000055',
  referrer: {
    name: 'PC Jordan Ellis',
    role: 'Street triage officer',
    callbackPhone: '+44 7700 900123',
    email: 'jordan.ellis@police-a.example',
    referrerReference: 'INC-20261114-0457',
    organisationId: 'org-police-a',
    agencyType: 'police',
    clientId: 'client-police-a-cad',
    actorId: 'officer-4471',
  },
  basis: 'consideration',
  person: {
    givenName: 'Daniel',
    familyName: 'Marsh',
    dateOfBirth: '1992-03-08',
    nhsNumber: '9434765919',
    sex: 'male',
    ethnicity: 'A',
    firstLanguage: 'English',
    interpreterNeeded: false,
    communicationNeeds: 'Hard of hearing in his left ear',
  },
  responsibleLssa: 'E06000055',
  location: {
    type: 'emergency-department',
    siteId: 'RC9-ED',
    address: { lines: ['Bedford Hospital', 'Kempston Road'], postcode: 'MK42 9DJ' },
  },
  legalStatus: {
    status: 's136',
    detainedAt: '2026-11-14T23:05:00Z',
    detainedAtLocationType: 'public-place',
    arrivedAtPlaceOfSafetyAt: '2026-11-14T23:40:00Z',
    placeOfSafetyType: 'emergency-department',
    placeOfSafetySiteId: 'RC9-ED',
  },
  reasonForReferral: 'Found in a multi-storey car park near the parapet, distressed.',
  urgency: 'immediate',
  alternativesTried: 'Street triage nurse spoke with him at the scene.',
  risk: {
    violence: 'no',
    weapons: 'yes',
    animals: 'no',
    substanceUse: 'yes',
    othersPresent: 'no',
    accessIssues: 'no',
    loneWorkerRisk: 'yes',
    notes: 'Carried a knife earlier in the evening.',
    policeAttendanceRequested: true,
    rcrpGround: 'risk-assessed-safety-need',
  },
  nearestRelative: { known: true, name: 'Ruth Marsh', relationship: 'mother', contact: '+44 7700 900456' },
  gp: { practiceName: 'Kempston Medical Centre', odsCode: 'E81001', phone: '01234 567890' },
  doctorWithPreviousKnowledge: 'unknown',
  clockFacts: [],
  clocks: [],
  recordedThresholds: [],
  review: { at: '2026-11-14T23:58:00.000Z', byAmhpId: 'amhp-17' },
  triage: {
    decision: 'accepted',
    at: '2026-11-15T00:04:00.000Z',
    reason: 'Detained s.136; assessment needed tonight.',
  },
  allocation: { amhpId: 'amhp-17', expectedAttendanceAt: '2026-11-15T01:00:00.000Z', at: '2026-11-15T00:20:00.000Z' },
  outcome: {
    outcome: 'detained-s2',
    nextSteps: 'Admitted to Oakwood ward.',
    reasonsInWriting: 'Daniel refused informal admission.',
    at: '2026-11-15T05:40:00.000Z',
    byAmhpId: 'amhp-17',
    amendments: 0,
  },
  lastEvent: { type: 'outcome-recorded', at: '2026-11-15T05:40:00.000Z' },
  possibleDuplicateOf: ['01JC000000000000000000000A'],
  milestones: {
    reviewStarted: '2026-11-14T23:58:00.000Z',
    accepted: '2026-11-15T00:04:00.000Z', // 11m43s after receipt → 11 whole minutes
    allocated: '2026-11-15T00:20:00.000Z', // 27m43s → 27
    medicalExamination: '2026-11-15T02:30:00.000Z', // 157m43s → 157 (no assessmentStarted)
    outcomeRecorded: '2026-11-15T05:40:00.000Z', // 347m43s → 347
    bedRequested: '2026-11-15T05:45:00.000Z',
    bedIdentified: '2026-11-15T09:15:00.000Z', // 210 minutes
  },
  escalations: ['no-bed', 'conveyance-delay', 'no-bed'],
  breaches: [],
};

export const fact = (r: ReferralLike = J1, calendar?: ServiceCalendar, previous?: DemandFact) =>
  demandFactOf(r, KEYS, calendar, previous);
export const withRecord = (over: Partial<ReferralRecord>): ReferralRecord => ({ ...J1, ...over });
