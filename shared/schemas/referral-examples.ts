/**
 * Example bodies of `POST /v1/referrals`, one per referring agency type: the OpenAPI document
 * shows them (named examples), the TypeScript client's examples send them, and tests prove each
 * parses with ReferralCreate and is accepted by the real handler from a client of that agency.
 * Every person is invented; NHS numbers are from the 999 test range or valid-checksum fakes.
 */
import type * as z from 'zod';
import type { ReferralCreateObject } from './referral.js';

/** The object before the cross-field rules: typing by ReferralCreate itself would be circular (it carries these). */
type ReferralCreateInput = z.input<typeof ReferralCreateObject>;

/** J1 step 2 (JOURNEYS.md): invented person, valid NHS number, s.136, arrival at A&E. */
const J1_EXAMPLE = {
  referrer: {
    name: 'PC Jordan Ellis',
    role: 'Street triage officer',
    callbackPhone: '+44 7700 900123',
    email: 'jordan.ellis@police-a.example',
    referrerReference: 'INC-20261114-0457',
  },
  basis: 'consideration',
  person: {
    givenName: 'Daniel',
    familyName: 'Marsh',
    dateOfBirth: '1992-03-08',
    nhsNumber: '943 476 5919',
    sex: 'male',
    ethnicity: 'A',
    firstLanguage: 'English',
    interpreterNeeded: false,
  },
  responsibleLssa: 'E06000055',
  location: { type: 'emergency-department', siteId: 'RC9-ED' },
  legalStatus: {
    status: 's136',
    detainedAt: '2026-11-14T23:05:00Z',
    detainedAtLocationType: 'public-place',
    arrivedAtPlaceOfSafetyAt: '2026-11-14T23:40:00Z',
    placeOfSafetyType: 'emergency-department',
    placeOfSafetySiteId: 'RC9-ED',
  },
  reasonForReferral:
    'Found in a multi-storey car park near the parapet, distressed and saying he wanted to end his life. Detained ' +
    'under s.136; the health-based place of safety had no space, so brought to A&E.',
  urgency: 'immediate',
  alternativesTried: 'Street triage nurse spoke with him at the scene; he would not agree to go to A&E voluntarily.',
  risk: {
    violence: 'no',
    weapons: 'yes',
    animals: 'no',
    substanceUse: 'yes',
    othersPresent: 'no',
    accessIssues: 'no',
    loneWorkerRisk: 'yes',
    notes: 'Carried a knife earlier in the evening, handed it to officers; calm now. Has been drinking.',
    policeAttendanceRequested: true,
    rcrpGround: 'risk-assessed-safety-need',
  },
  nearestRelative: { known: true, name: 'Ruth Marsh', relationship: 'mother', contact: '+44 7700 900456' },
  doctorWithPreviousKnowledge: 'unknown',
} as const;

/** Police, s.136 at the roadside: kept where found while the ambulance comes (no place of safety yet). */
const POLICE_ROADSIDE_EXAMPLE = {
  referrer: {
    name: 'PC Amira Shah',
    role: 'Response officer',
    callbackPhone: '+44 7700 900201',
    referrerReference: 'INC-20261115-0112',
  },
  person: {
    identityUnknown: true,
    description: 'Man in his thirties, grey hooded top, no identification; will not give his name.',
    estimatedAgeBand: '25-34',
    sex: 'male',
    ethnicity: 'Z',
  },
  responsibleLssa: 'E06000055',
  location: {
    type: 'public-place',
    address: { lines: ['Lay-by, A1 northbound', 'Northtown'] },
    description: 'Beside the footbridge; police car with blue lights',
  },
  legalStatus: {
    status: 's136',
    detainedAt: '2026-11-15T01:10:00Z',
    detainedAtLocationType: 'public-place',
    keptWhereFoundAt: '2026-11-15T01:12:00Z',
    placeOfSafetyType: 'other-suitable-place',
  },
  reasonForReferral:
    'Walking in the carriageway of a fast road, saying he wanted to be hit. Detained under s.136 and kept at the ' +
    'roadside in the police car while an ambulance is on its way.',
  urgency: 'immediate',
  risk: {
    violence: 'unknown',
    weapons: 'no',
    animals: 'no',
    substanceUse: 'unknown',
    othersPresent: 'no',
    accessIssues: 'no',
    loneWorkerRisk: 'unknown',
    policeAttendanceRequested: true,
    rcrpGround: 'threat-to-life',
  },
  doctorWithPreviousKnowledge: 'unknown',
} satisfies ReferralCreateInput;

/** Ambulance crew at a home address: informal, asking for an assessment to be considered. */
const AMBULANCE_EXAMPLE = {
  referrer: {
    name: 'Paramedic Chris Doyle',
    role: 'Paramedic',
    callbackPhone: '+44 7700 900301',
    referrerReference: 'CAD-2611150233',
  },
  person: {
    givenName: 'Leanne',
    familyName: 'Hart',
    dateOfBirth: '1987-06-21',
    sex: 'female',
    ethnicity: 'A',
    firstLanguage: 'English',
    interpreterNeeded: false,
  },
  responsibleLssa: 'E06000055',
  location: { type: 'home', address: { lines: ['14 Example Row', 'Northtown'], postcode: 'NE1 4XY' } },
  legalStatus: { status: 'informal' },
  reasonForReferral:
    'Called by a neighbour. Not sleeping for days, believes her food is poisoned, refusing to come to hospital. No ' +
    'physical injury found.',
  urgency: 'today',
  alternativesTried: 'Crisis team contacted by phone; she declined a home visit.',
  risk: {
    violence: 'no',
    weapons: 'no',
    animals: 'yes',
    substanceUse: 'no',
    othersPresent: 'no',
    accessIssues: 'yes',
    loneWorkerRisk: 'no',
    notes: 'Two dogs in the house; she let the crew in but may not open the door again.',
    policeAttendanceRequested: false,
  },
  gp: { practiceName: 'Northtown Medical Practice', odsCode: 'A81001' },
  doctorWithPreviousKnowledge: 'yes',
} satisfies ReferralCreateInput;

/** A&E: s.5(2) furnished on a ward after admission from the emergency department. */
const AE_WARD_EXAMPLE = {
  referrer: {
    name: 'Dr Priya Nair',
    role: 'Psychiatric liaison registrar',
    callbackPhone: '+44 1632 960400',
    email: 'liaison@acute-trust.example',
    referrerReference: 'LIA-88412',
  },
  person: {
    givenName: 'Tomasz',
    familyName: 'Nowak',
    dateOfBirth: '1971-01-30',
    sex: 'male',
    ethnicity: 'C',
    firstLanguage: 'Polish',
    interpreterNeeded: true,
  },
  responsibleLssa: 'E06000055',
  location: { type: 'inpatient-ward', siteId: 'RC9-W12', description: 'Ward 12 (medical)' },
  legalStatus: { status: 's5-2', furnishedAt: '2026-11-15T09:30:00Z' },
  reasonForReferral:
    'Admitted from A&E after an overdose; now asking to leave and stating he will try again. Holding power s.5(2) ' +
    'furnished by the ward doctor.',
  urgency: 'immediate',
  risk: {
    violence: 'no',
    weapons: 'no',
    animals: 'no',
    substanceUse: 'yes',
    othersPresent: 'yes',
    accessIssues: 'no',
    loneWorkerRisk: 'no',
    policeAttendanceRequested: false,
  },
  nearestRelative: { known: true, name: 'Anna Nowak', relationship: 'wife', contact: '+44 7700 900777' },
  doctorWithPreviousKnowledge: 'no',
} satisfies ReferralCreateInput;

/** CMHT: a planned assessment of someone known to the team, relapsing in the community. */
const CMHT_PLANNED_EXAMPLE = {
  referrer: {
    name: 'Morgan Reid',
    role: 'Care coordinator (CPN)',
    callbackPhone: '+44 1632 960555',
    email: 'cmht.north@mh-trust.example',
    referrerReference: 'CMHT-N-2211',
  },
  person: {
    givenName: 'Grace',
    familyName: 'Okafor',
    dateOfBirth: '1979-09-12',
    nhsNumber: '943 476 5870',
    sex: 'female',
    ethnicity: 'N',
    firstLanguage: 'English',
    interpreterNeeded: false,
  },
  responsibleLssa: 'E06000055',
  location: { type: 'home', address: { lines: ['3 Sample Court', 'Northtown'], postcode: 'NE2 1AB' } },
  legalStatus: { status: 'none-known' },
  reasonForReferral:
    'Stopped depot medication six weeks ago; increasingly paranoid, not eating, has barricaded the front door. ' +
    'Relapse signature as in 2024 when admitted under s.2.',
  urgency: 'planned',
  alternativesTried: 'Home treatment team visits twice a week; offered informal admission, declined.',
  risk: {
    violence: 'no',
    weapons: 'no',
    animals: 'no',
    substanceUse: 'no',
    othersPresent: 'no',
    accessIssues: 'yes',
    loneWorkerRisk: 'yes',
    notes: 'Front door barricaded; visit in pairs.',
    policeAttendanceRequested: false,
  },
  careCoordinator: { name: 'Morgan Reid', team: 'North CMHT', phone: '+44 1632 960555' },
  doctorWithPreviousKnowledge: 'yes',
} satisfies ReferralCreateInput;

export const REFERRAL_CREATE_EXAMPLE: ReferralCreateInput = J1_EXAMPLE;

/** Named examples, by referring agency type (the registry's `agencyType`) and situation. */
export const REFERRAL_CREATE_EXAMPLES = {
  'police-s136-roadside': {
    summary: 'Police: s.136 at the roadside, person not identified',
    agencyType: 'police',
    value: POLICE_ROADSIDE_EXAMPLE,
  },
  'police-s136-emergency-department': {
    summary: 'Police: s.136, taken to A&E as the place of safety (journey J1)',
    agencyType: 'police',
    value: REFERRAL_CREATE_EXAMPLE,
  },
  ambulance: { summary: 'Ambulance: informal, at home', agencyType: 'ambulance', value: AMBULANCE_EXAMPLE },
  'ae-s5-2-ward': {
    summary: 'A&E liaison: s.5(2) on a ward',
    agencyType: 'emergency-department',
    value: AE_WARD_EXAMPLE,
  },
  'cmht-planned': { summary: 'CMHT: planned assessment at home', agencyType: 'cmht', value: CMHT_PLANNED_EXAMPLE },
} as const;
