import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  AGE_BANDS,
  ETHNIC_CATEGORIES,
  REFERRAL_CREATE_EXAMPLE,
  ReferralCreate,
  type ReferralCreateInput,
} from '../../shared/schemas/referral.js';
import {
  DECISION_EVENT_TYPES,
  EVENT_TYPES_WITH_OCCURRED_AT,
  OUTCOMES,
  REFERRAL_EVENT_INPUT_TYPES,
  RECORDED_EVENT_TYPE,
  ReferralEventInput,
  outcomeMakesApplication,
} from '../../shared/schemas/referral-events.js';
import { ageOn, eventRuleProblems, isUnder18At, referralRuleProblems } from '../../shared/domain/referral-rules.js';
import { HttpProblem, type FieldProblem } from '../../shared/http/problem.js';
import { intakeFlags } from '../../shared/domain/referral-transition.js';
import { clockFactsOfReferral } from '../../shared/domain/referral.js';
import { computeClocks } from '../../shared/domain/clocks.js';
import { parseOrThrow } from '../../shared/http/validation.js';

// J1: the referral is posted at 23:40; "now" is a minute later.
const NOW = new Date('2026-11-14T23:41:00Z');
const CTX = { now: NOW, servedLssas: ['E06000055', 'E06000056'] } as const;
const inMinutes = (m: number): string => new Date(NOW.getTime() + m * 60_000).toISOString();

/** Bodies here are deliberately untyped JSON: the point is to send what the types forbid. */
type Json = any;

const example = (): Json => structuredClone(REFERRAL_CREATE_EXAMPLE);

/** The handler's path: parse (with parseOrThrow's per-key expansion), then the context rules. */
function problemsOf(body: unknown, ctx: Parameters<typeof referralRuleProblems>[1] = CTX): FieldProblem[] {
  try {
    return referralRuleProblems(parseOrThrow(ReferralCreate, 'body', body), ctx);
  } catch (e) {
    if (e instanceof HttpProblem) return e.errors ?? [];
    throw e;
  }
}
const pointersOf = (body: unknown, ctx?: Parameters<typeof referralRuleProblems>[1]): string[] =>
  problemsOf(body, ctx)
    .map((p) => p.pointer)
    .sort();

const segments = (pointer: string): string[] => pointer.split('/').slice(1);
function setAt(body: Json, pointer: string, value: unknown): Json {
  const keys = segments(pointer);
  let node = body;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys[keys.length - 1]!] = value;
  return body;
}
function deleteAt(body: Json, pointer: string): Json {
  const keys = segments(pointer);
  let node = body;
  for (const k of keys.slice(0, -1)) node = node[k];
  delete node[keys[keys.length - 1]!];
  return body;
}
const edit = (...changes: [string, unknown][]): Json => {
  const body = example();
  for (const [pointer, value] of changes) {
    if (value === undefined) deleteAt(body, pointer);
    else setAt(body, pointer, value);
  }
  return body;
};

const UNIDENTIFIED = {
  identityUnknown: true,
  description: 'White man, slim build, grey hoodie; gives no name.',
  estimatedAgeBand: '25-34',
  sex: 'male',
  ethnicity: '99',
};
const AUTHORISED = { authorisedAt: '2026-11-14T23:30:00Z', ground: 'imminent-risk-of-serious-injury-or-death' };
const AT_POLICE_STATION: [string, unknown][] = [
  ['/location', { type: 'police-station', siteId: 'FORCE-A-CENTRAL' }],
  ['/legalStatus/placeOfSafetyType', 'police-station'],
  ['/legalStatus/placeOfSafetySiteId', 'FORCE-A-CENTRAL'],
];

describe('ReferralCreate: the J1 example', () => {
  it('passes the schema and the rules, and is the schema’s documented example', () => {
    const parsed = ReferralCreate.parse(REFERRAL_CREATE_EXAMPLE);
    expect(referralRuleProblems(parsed, CTX)).toEqual([]);
    expect(parsed.person.identityUnknown).toBeUndefined();
    expect(parsed.person.identityUnknown !== true && parsed.person.nhsNumber).toBe('9434765919');
    expect(z.globalRegistry.get(ReferralCreate)?.example).toEqual(REFERRAL_CREATE_EXAMPLE);
  });

  it('converts to JSON Schema for the OpenAPI document (input side)', () => {
    const schema = z.toJSONSchema(ReferralCreate, { io: 'input', unrepresentable: 'any' }) as Json;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toContain('legalStatus');
    expect(schema.required).not.toContain('basis');
    expect(() => z.toJSONSchema(ReferralEventInput, { io: 'input', unrepresentable: 'any' })).not.toThrow();
  });
});

describe('ReferralCreate: valid bodies', () => {
  const valid: [string, Json][] = [
    ['J1 as sent', example()],
    ['basis omitted (defaults to consideration)', edit(['/basis', undefined])],
    ['an unidentified person', edit(['/person', UNIDENTIFIED])],
    [
      'J2: informal at A&E, no police, no nearest relative',
      edit(
        ['/legalStatus', { status: 'informal' }],
        ['/risk/policeAttendanceRequested', false],
        ['/risk/rcrpGround', undefined],
        ['/nearestRelative', undefined],
        ['/urgency', 'immediate'],
      ),
    ],
    [
      'J3: s.5(2) after s.5(4) on a ward, British Summer Time offsets',
      edit(
        ['/location', { type: 'inpatient-ward', siteId: 'RC9-WARD-ELM' }],
        ['/legalStatus', { status: 's5-2', furnishedAt: '2026-07-01T15:00:00+01:00', precedingS54RecordedAt: '2026-07-01T12:00:00+01:00' }],
        ['/risk/policeAttendanceRequested', false],
        ['/risk/rcrpGround', undefined],
      ),
    ],
    [
      'J6: a nearest relative request, at home, with address',
      edit(
        ['/basis', 's13-4'],
        ['/location', { type: 'home', address: { lines: ['12 Acacia Road', 'Sandbrook'], postcode: 'SB1 2XY' } }],
        ['/legalStatus', { status: 'none-known' }],
        ['/urgency', 'planned'],
        ['/gp', { practiceName: 'Sandbrook Medical Centre', odsCode: 'A81001', phone: '01632 960111' }],
        ['/careCoordinator', { name: 'Alex Reid', team: 'Sandbrook CMHT', email: 'alex.reid@nhs.example' }],
      ),
    ],
    ['s.136 adult at a police station with the inspector’s authorisation', edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', AUTHORISED])],
    [
      's.136 kept where found in A&E',
      edit(
        ['/legalStatus/detainedAtLocationType', 'emergency-department'],
        ['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined],
        ['/legalStatus/keptWhereFoundAt', '2026-11-14T23:10:00Z'],
      ),
    ],
    ['s.136 still on the way (no place of safety yet)', edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined], ['/legalStatus/placeOfSafetyType', undefined])],
    [
      's.135(1) warrant executed at home, taken to a health-based suite',
      edit(
        ['/legalStatus', { status: 's135-1', detainedAt: '2026-11-14T20:00:00Z', detainedAtLocationType: 'home', arrivedAtPlaceOfSafetyAt: '2026-11-14T20:45:00Z', placeOfSafetyType: 'health-based-place-of-safety' }],
      ),
    ],
    ['a home as place of safety with consent under s.136', edit(['/legalStatus/placeOfSafetyType', 'dwelling-with-consent'])],
    ['s.4 admitted', edit(['/legalStatus', { status: 's4', medicalExaminationAt: '2026-11-14T18:00:00Z', applicationAt: '2026-11-14T18:30:00Z', admittedAt: '2026-11-14T21:00:00Z' }])],
    ['s.2 considering s.3', edit(['/legalStatus', { status: 's2', admittedAt: '2026-10-20T10:00:00+01:00' }])],
    ['s.5(4)', edit(['/legalStatus', { status: 's5-4', recordedAt: '2026-11-14T23:00:00Z' }])],
    ['guardianship', edit(['/legalStatus', { status: 'guardianship' }])],
    ['community treatment order', edit(['/legalStatus', { status: 'cto' }])],
    ['a time within the 5-minute skew', edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', inMinutes(4)])],
    ['a 16-year-old at A&E under s.136', edit(['/person/dateOfBirth', '2010-05-01'])],
    ['NHS number as ten digits', edit(['/person/nhsNumber', '9434765870'])],
    ['no NHS number', edit(['/person/nhsNumber', undefined])],
    ['ethnicity Z (not stated)', edit(['/person/ethnicity', 'Z'])],
  ];

  it.each(valid)('%s', (_name, body) => {
    expect(problemsOf(body)).toEqual([]);
  });

  it('a body with every text at its maximum (3-byte characters) is valid and under 64 KB (§2)', () => {
    const t = (n: number): string => '€'.repeat(n);
    const body = edit(
      ['/referrer', { name: t(120), role: t(80), callbackPhone: '+44 ' + '7'.repeat(21), email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.example`, referrerReference: 'R'.repeat(64) }],
      ['/person/givenName', t(100)],
      ['/person/familyName', t(100)],
      ['/person/firstLanguage', t(60)],
      ['/person/communicationNeeds', t(1000)],
      ['/location', { type: 'public-place', address: { lines: Array.from({ length: 5 }, () => t(100)), postcode: 'SB1 2XY' }, siteId: 'S'.repeat(64), description: t(200) }],
      ['/reasonForReferral', t(4000)],
      ['/alternativesTried', t(2000)],
      ['/risk/notes', t(2000)],
      ['/nearestRelative', { known: true, name: t(120), relationship: t(60), contact: t(200) }],
      ['/gp', { practiceName: t(120), odsCode: 'A81001', phone: '+44 ' + '7'.repeat(21) }],
      ['/careCoordinator', { name: t(120), team: t(120), phone: '+44 ' + '7'.repeat(21), email: 'cc@nhs.example' }],
    );
    expect(problemsOf(body)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(64 * 1024);
  });

  it('normalises the NHS number and defaults the basis', () => {
    const parsed = ReferralCreate.parse(edit(['/basis', undefined]));
    expect(parsed.basis).toBe('consideration');
    expect(parsed.person.identityUnknown !== true && parsed.person.nhsNumber).toBe('9434765919');
  });

  it('accepts every NHS ethnic category and every age band', () => {
    for (const ethnicity of ETHNIC_CATEGORIES) expect(problemsOf(edit(['/person/ethnicity', ethnicity]))).toEqual([]);
    for (const estimatedAgeBand of AGE_BANDS.filter((b) => b !== '0-17'))
      expect(problemsOf(edit(['/person', { ...UNIDENTIFIED, estimatedAgeBand }]))).toEqual([]);
  });
});

describe('ReferralCreate: refused with a 400 naming the field (DOMAIN §2)', () => {
  const long = (n: number): string => 'x'.repeat(n);
  const invalid: [string, Json, string[]][] = [
    // "unknown codes"
    ['an LSSA this Hub does not serve', edit(['/responsibleLssa', 'E06000999']), ['/responsibleLssa']],
    ['a malformed LSSA code', edit(['/responsibleLssa', 'W06000001']), ['/responsibleLssa']],
    ['an unknown ethnic category', edit(['/person/ethnicity', 'I']), ['/person/ethnicity']],
    ['an unknown sex', edit(['/person/sex', 'M']), ['/person/sex']],
    ['an unknown location type', edit(['/location/type', 'car-park']), ['/location/type']],
    ['an unknown legal status', edit(['/legalStatus/status', 's3']), ['/legalStatus/status']],
    ['an unknown urgency', edit(['/urgency', 'urgent']), ['/urgency']],
    ['an unknown RCRP ground', edit(['/risk/rcrpGround', 'welfare-check']), ['/risk/rcrpGround']],
    ['an unknown basis', edit(['/basis', 's13']), ['/basis']],
    // "an NHS number with a wrong check digit"
    ['an NHS number with a wrong check digit', edit(['/person/nhsNumber', '9434765918']), ['/person/nhsNumber']],
    ['an NHS number whose check digit would be 10', edit(['/person/nhsNumber', '1234567890']), ['/person/nhsNumber']],
    ['an NHS number with letters', edit(['/person/nhsNumber', '94347659AB']), ['/person/nhsNumber']],
    // "a time in the future (> 5 min skew)", every one listed
    [
      'times in the future, all of them',
      edit(
        ['/legalStatus/detainedAt', inMinutes(6)],
        ['/legalStatus/arrivedAtPlaceOfSafetyAt', inMinutes(30)],
        ['/legalStatus/inspectorAuthorisation', { ...AUTHORISED, authorisedAt: inMinutes(10) }],
      ),
      ['/legalStatus/arrivedAtPlaceOfSafetyAt', '/legalStatus/detainedAt', '/legalStatus/inspectorAuthorisation/authorisedAt'],
    ],
    ['an s.2 admission in the future', edit(['/legalStatus', { status: 's2', admittedAt: inMinutes(60 * 24) }]), ['/legalStatus/admittedAt']],
    // "... or without a UTC offset"
    ['a time without an offset', edit(['/legalStatus/detainedAt', '2026-11-14T23:05:00']), ['/legalStatus/detainedAt']],
    ['a date where a time is due', edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-11-14']), ['/legalStatus/arrivedAtPlaceOfSafetyAt']],
    // "arrival at a place of safety before the detention"
    ['arrival before the detention', edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-11-14T22:00:00Z']), ['/legalStatus/arrivedAtPlaceOfSafetyAt']],
    [
      'arrival before the detention across offsets',
      // 22:05Z detained, 21:55Z arrived: 10 minutes before, beyond the 5 minutes' tolerance.
      edit(['/legalStatus/detainedAt', '2026-07-01T23:05:00+01:00'], ['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-07-01T21:55:00Z']),
      ['/legalStatus/arrivedAtPlaceOfSafetyAt'],
    ],
    [
      'kept where found before the detention',
      edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined], ['/legalStatus/keptWhereFoundAt', '2026-11-14T22:55:00Z']),
      ['/legalStatus/keptWhereFoundAt'],
    ],
    ['an authorisation without its ground', edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', { authorisedAt: AUTHORISED.authorisedAt }]), ['/legalStatus/inspectorAuthorisation/ground']],
    ['an authorisation with an unknown ground', edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', { ...AUTHORISED, ground: 'no-bed' }]), ['/legalStatus/inspectorAuthorisation/ground']],
    ['an authorisation before the detention', edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', { ...AUTHORISED, authorisedAt: '2026-11-14T22:00:00Z' }]), ['/legalStatus/inspectorAuthorisation/authorisedAt']],
    // Date of birth
    ['a date of birth in the future', edit(['/person/dateOfBirth', '2026-11-15']), ['/person/dateOfBirth']],
    ['an impossible date of birth', edit(['/person/dateOfBirth', '2023-02-29']), ['/person/dateOfBirth']],
    ['a date of birth with a time', edit(['/person/dateOfBirth', '1992-03-08T00:00:00Z']), ['/person/dateOfBirth']],
    ['a date of birth before 1900', edit(['/person/dateOfBirth', '1899-12-31']), ['/person/dateOfBirth']],
    // Identity
    ['an identified person without a family name', edit(['/person/familyName', undefined]), ['/person/familyName']],
    ['an identified person without name or date of birth', edit(['/person/givenName', undefined], ['/person/familyName', undefined], ['/person/dateOfBirth', undefined]), ['/person/dateOfBirth', '/person/familyName', '/person/givenName']],
    ['identityUnknown without description or age band', edit(['/person', { identityUnknown: true, sex: 'male', ethnicity: '99' }]), ['/person/description', '/person/estimatedAgeBand']],
    ['identityUnknown with a name', edit(['/person', { ...UNIDENTIFIED, familyName: 'Smith' }]), ['/person/familyName']],
    ['identityUnknown not a boolean', edit(['/person/identityUnknown', 'yes']), ['/person/identityUnknown']],
    ['appearsUnder18 false with a 0-17 estimate', edit(['/person', { ...UNIDENTIFIED, estimatedAgeBand: '0-17', appearsUnder18: false }]), ['/person/appearsUnder18']],
    // Organisation and agency type come from the caller (§2)
    ['an organisation in the body', edit(['/organisationId', 'police-force-b']), ['/organisationId']],
    ['an agency type in the referrer', edit(['/referrer/agencyType', 'police']), ['/referrer/agencyType']],
    ['unknown keys in several places', edit(['/risk/knife', true], ['/legalStatus/clock', 24]), ['/legalStatus/clock', '/risk/knife']],
    // Other structure
    ['police requested without an RCRP ground', edit(['/risk/rcrpGround', undefined]), ['/risk/rcrpGround']],
    ['an RCRP ground without a police request', edit(['/risk/policeAttendanceRequested', false]), ['/risk/rcrpGround']],
    ['a location with neither address nor site', edit(['/location/siteId', undefined]), ['/location/address']],
    ['at a place of safety of no stated type', edit(['/legalStatus/placeOfSafetyType', undefined]), ['/legalStatus/placeOfSafetyType']],
    ['both arrived and kept where found', edit(['/legalStatus/keptWhereFoundAt', '2026-11-14T23:10:00Z']), ['/legalStatus/keptWhereFoundAt']],
    ['s.5(4) recorded after the s.5(2) report', edit(['/legalStatus', { status: 's5-2', furnishedAt: '2026-11-14T15:00:00Z', precedingS54RecordedAt: '2026-11-14T16:00:00Z' }]), ['/legalStatus/precedingS54RecordedAt']],
    ['s.4 admission before the application', edit(['/legalStatus', { status: 's4', medicalExaminationAt: '2026-11-14T18:00:00Z', applicationAt: '2026-11-14T18:30:00Z', admittedAt: '2026-11-14T18:00:00Z' }]), ['/legalStatus/admittedAt']],
    ['s.2 without the admission time', edit(['/legalStatus', { status: 's2' }]), ['/legalStatus/admittedAt']],
    ['s.136 fields on an informal status', edit(['/legalStatus', { status: 'informal', detainedAt: '2026-11-14T23:05:00Z' }]), ['/legalStatus/detainedAt']],
    ['a nearest relative request with no nearest relative', edit(['/basis', 's13-4'], ['/nearestRelative', undefined]), ['/nearestRelative']],
    ['a nearest relative request with an unknown relative', edit(['/basis', 's13-4'], ['/nearestRelative', { known: false }]), ['/nearestRelative/contact', '/nearestRelative/known', '/nearestRelative/name']],
    ['a reason for referral over 4000 characters', edit(['/reasonForReferral', long(4001)]), ['/reasonForReferral']],
    ['an empty reason for referral', edit(['/reasonForReferral', '   ']), ['/reasonForReferral']],
    ['a control character in a name', edit(['/person/givenName', 'Dan\u0000iel']), ['/person/givenName']],
    ['a line break in a name', edit(['/person/familyName', 'Marsh\nSmith']), ['/person/familyName']],
    ['a bad e-mail', edit(['/referrer/email', 'not-an-email']), ['/referrer/email']],
    ['a bad callback phone', edit(['/referrer/callbackPhone', 'ring the desk']), ['/referrer/callbackPhone']],
    ['a bad referrer reference', edit(['/referrer/referrerReference', '<script>']), ['/referrer/referrerReference']],
    ['a bad GP ODS code', edit(['/gp', { practiceName: 'X Surgery', odsCode: '123' }]), ['/gp/odsCode']],
    ['interpreterNeeded as a string', edit(['/person/interpreterNeeded', 'no']), ['/person/interpreterNeeded']],
    ['a malformed detention time at a police station (no crash, one problem)', edit(...AT_POLICE_STATION, ['/legalStatus/detainedAt', 'soon']), ['/legalStatus/detainedAt']],
    ['a malformed date of birth at a police station', edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', AUTHORISED], ['/person/dateOfBirth', 'unknown']), ['/person/dateOfBirth']],
    ['a body that is not an object', [], ['']],
  ];

  it.each(invalid)('%s', (_name, body, expected) => {
    expect(pointersOf(body)).toEqual([...expected].sort());
  });

  it('names fields without echoing what was sent', () => {
    const secrets = ['9434765918', 'Dan\u0000iel', 'welfare-check', 'car-park', '2026-11-15', '<script>', 'police-force-b'];
    const body = edit(
      ['/person/nhsNumber', '9434765918'],
      ['/person/givenName', 'Dan\u0000iel'],
      ['/risk/rcrpGround', 'welfare-check'],
      ['/location/type', 'car-park'],
      ['/referrer/referrerReference', '<script>'],
      ['/organisationId', 'police-force-b'],
    );
    const text = JSON.stringify(problemsOf(body));
    for (const s of secrets) expect(text).not.toContain(s);
    const future = JSON.stringify(problemsOf(edit(['/person/dateOfBirth', '2026-11-15'])));
    expect(future).not.toContain('2026-11-15');
  });

  it('measures age on the English date of the detention', () => {
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17);
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    const person = { givenName: 'A', familyName: 'B', dateOfBirth: '2008-06-15', sex: 'male', ethnicity: 'A', firstLanguage: 'English', interpreterNeeded: false } as const;
    // 23:30 UTC on 14 June is 00:30 on 15 June in London (BST): already 18.
    expect(isUnder18At(person, '2026-06-14T23:30:00Z')).toBe(false);
    expect(isUnder18At(person, '2026-06-14T22:30:00Z')).toBe(true);
  });
});

describe('ReferralCreate: recorded and flagged, never refused (DOMAIN §2)', () => {
  // Refusing these would hide the person (a child in a cell) from the AMHP service: the body is
  // accepted and the referral carries the flag, on its board row too.
  const flagged: [string, Json, string][] = [
    // "an s.136 detention made in a dwelling"
    ['s.136 in a dwelling (s.136(1A))', edit(['/legalStatus/detainedAtLocationType', 'home']), 's136-in-dwelling'],
    // "a police station or custody as place of safety for a person under 18 or who appears under 18"
    ['a police station for a 16-year-old', edit(...AT_POLICE_STATION, ['/person/dateOfBirth', '2010-05-01'], ['/legalStatus/inspectorAuthorisation', AUTHORISED]), 'unlawful-place-of-safety'],
    [
      'a police station for someone 18 tomorrow',
      edit(...AT_POLICE_STATION, ['/person/dateOfBirth', '2008-11-15'], ['/legalStatus/inspectorAuthorisation', AUTHORISED]),
      'unlawful-place-of-safety',
    ],
    ['custody for someone who appears under 18', edit(['/location', { type: 'custody', siteId: 'FORCE-A-CUSTODY' }], ['/person', { ...UNIDENTIFIED, appearsUnder18: true }]), 'unlawful-place-of-safety'],
    ['a police station for an estimated 0-17', edit(...AT_POLICE_STATION, ['/person', { ...UNIDENTIFIED, estimatedAgeBand: '0-17' }]), 'unlawful-place-of-safety'],
    [
      's.135(2) to a police station for a child',
      edit(
        ['/person/dateOfBirth', '2012-01-01'],
        ['/legalStatus', { status: 's135-2', detainedAt: '2026-11-14T20:00:00Z', detainedAtLocationType: 'inpatient-ward', arrivedAtPlaceOfSafetyAt: '2026-11-14T20:30:00Z', placeOfSafetyType: 'police-station' }],
      ),
      'unlawful-place-of-safety',
    ],
    // "for an adult at a police station the referral must carry the inspector's authorisation and its ground"
    ['an adult at a police station without authorisation', edit(...AT_POLICE_STATION), 'police-station-without-authorisation'],
    ['an adult in custody under s.136 without authorisation', edit(['/location', { type: 'custody', siteId: 'FORCE-A-CUSTODY' }]), 'police-station-without-authorisation'],
    ['an 18-year-old (birthday today) at a police station without authorisation', edit(...AT_POLICE_STATION, ['/person/dateOfBirth', '2008-11-14']), 'police-station-without-authorisation'],
  ];
  it.each(flagged)('%s: accepted and flagged %s', (_name, body, code) => {
    expect(pointersOf(body)).toEqual([]);
    const parsed = parseOrThrow(ReferralCreate, 'body', body);
    const clocks = computeClocks(clockFactsOfReferral(parsed), NOW);
    const { flags } = intakeFlags(parsed, clocks, NOW.toISOString());
    expect(flags.map((f) => f.code)).toEqual([code]);
  });
  it('flags nothing for the J1 example (an adult at A&E)', () => {
    const parsed = parseOrThrow(ReferralCreate, 'body', example());
    expect(intakeFlags(parsed, computeClocks(clockFactsOfReferral(parsed), NOW), NOW.toISOString()).flags).toEqual([]);
  });
});

describe('ReferralCreate: random mutations of the example are refused at the field (property)', () => {
  /** Keys the example may lose and still be valid. */
  const OPTIONAL = new Set([
    '/referrer/email',
    '/basis',
    '/person/nhsNumber',
    '/legalStatus/arrivedAtPlaceOfSafetyAt',
    '/legalStatus/placeOfSafetySiteId',
    '/alternativesTried',
    '/risk/notes',
    '/nearestRelative',
    '/nearestRelative/name',
    '/nearestRelative/relationship',
    '/nearestRelative/contact',
  ]);
  /** Where deleting a key is reported at another field (the pair's rule names the first). */
  const REPORTED_AT: Record<string, string> = { '/location/siteId': '/location/address' };
  const ENUMS = [
    '/basis',
    '/person/sex',
    '/person/ethnicity',
    '/location/type',
    '/legalStatus/status',
    '/legalStatus/detainedAtLocationType',
    '/legalStatus/placeOfSafetyType',
    '/urgency',
    '/risk/violence',
    '/risk/weapons',
    '/risk/animals',
    '/risk/substanceUse',
    '/risk/othersPresent',
    '/risk/accessIssues',
    '/risk/loneWorkerRisk',
    '/risk/rcrpGround',
    '/doctorWithPreviousKnowledge',
  ];

  const paths: { pointer: string; value: unknown }[] = [];
  const walk = (value: unknown, pointer: string): void => {
    if (pointer !== '') paths.push({ pointer, value });
    if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${pointer}/${k}`);
  };
  walk(REFERRAL_CREATE_EXAMPLE, '');
  const objects = ['', ...paths.filter((p) => p.value !== null && typeof p.value === 'object').map((p) => p.pointer)];
  const required = paths.map((p) => p.pointer).filter((p) => !OPTIONAL.has(p));

  const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const WRONG_TYPES: unknown[] = [42, true, null, 'text', [], {}];

  type Mutation = { body: Json; expect: string };
  const deleteRequired = fc.constantFrom(...required).map((p): Mutation => ({ body: deleteAt(example(), p), expect: REPORTED_AT[p] ?? p }));
  const wrongType = fc
    .constantFrom(...paths)
    .chain((p) => fc.constantFrom(...WRONG_TYPES.filter((w) => kindOf(w) !== kindOf(p.value))).map((w) => ({ p, w })))
    .map(({ p, w }): Mutation => ({ body: setAt(example(), p.pointer, structuredClone(w)), expect: p.pointer }));
  const unknownKey = fc
    .tuple(fc.constantFrom(...objects), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,15}$/), fc.jsonValue())
    .map(([o, k, v]): Mutation => {
      const body = example();
      const target = o === '' ? body : segments(o).reduce((n: Json, s) => n[s], body);
      // Prefixed so it is never a real key, nor one a sibling branch of a union accepts.
      target[`x-${k}`] = v;
      return { body, expect: `${o}/x-${k}` };
    });
  const badEnum = fc
    .tuple(fc.constantFrom(...ENUMS), fc.stringMatching(/^[a-z0-9-]{0,20}$/))
    .map(([p, s]): Mutation => ({ body: setAt(example(), p, `zz${s}`), expect: p }));

  it('≥ 500 mutations: each fails, with a pointer at the mutated field', () => {
    fc.assert(
      fc.property(fc.oneof(deleteRequired, wrongType, unknownKey, badEnum), (m) => {
        const problems = problemsOf(m.body);
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(p.pointer).toMatch(/^\//);
        expect(problems.map((p) => p.pointer)).toContain(m.expect);
      }),
      { numRuns: 600 },
    );
  });

  it('any JSON value anywhere never throws, and every problem has a body pointer', () => {
    const atPoliceStation = edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', AUTHORISED]);
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(...paths.map((p) => p.pointer)), fc.oneof(fc.string(), fc.jsonValue()), (police, p, v) => {
        const body = setAt(police ? structuredClone(atPoliceStation) : example(), p, v);
        for (const problem of problemsOf(body)) expect(problem.pointer).toMatch(/^\//);
      }),
      { numRuns: 500 },
    );
  });

  it('every required key of the example is reported when missing', () => {
    for (const p of required) expect(pointersOf(deleteAt(example(), p)), p).toContain(REPORTED_AT[p] ?? p);
    for (const p of OPTIONAL) expect(problemsOf(deleteAt(example(), p)), p).toEqual([]);
  });
});

describe('ReferralEventInput', () => {
  const eventPointers = (body: unknown): string[] => {
    try {
      const event = parseOrThrow(ReferralEventInput, 'body', body);
      return eventRuleProblems(event, { now: NOW }).map((p) => p.pointer).sort();
    } catch (e) {
      if (e instanceof HttpProblem) return (e.errors ?? []).map((p) => p.pointer).sort();
      throw e;
    }
  };

  const valid: Json[] = [
    { type: 'start-review' },
    { type: 'accept', reason: 'Detained under s.136 at A&E; assessment needed tonight.' },
    { type: 'not-accept', reason: 'No evidence of mental disorder requiring assessment.', disposition: 'signposted', nextSteps: 'GP review on Monday; crisis line number given.' },
    { type: 'not-accept', reason: 'Person is in another LSSA.', disposition: 'redirected', nextSteps: 'Passed to the neighbouring AMHP service.' },
    { type: 'allocate', amhpId: 'amhp-0042', expectedAttendanceAt: inMinutes(90) },
    { type: 'start-assessment' },
    { type: 'start-assessment', occurredAt: '2026-11-14T23:30:00Z' },
    { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Conveyance by ambulance to an out-of-area adult acute bed.' },
    { type: 'record-outcome', outcome: 'home-treatment-crisis-team', nextSteps: 'Crisis team visit tomorrow 10:00.', reasonsInWriting: 'Least restrictive option available; agrees to home treatment.' },
    { type: 'record-outcome', outcome: 'recommendations-made-no-bed', nextSteps: 'Bed search continues.', reasonsInWriting: 'No bed available; application cannot be made.', occurredAt: '2026-11-14T23:00:00+00:00' },
    { type: 'amend-outcome', outcome: 'detained-s3', reason: 'Recorded the wrong section.', nextSteps: 'Unchanged.' },
    { type: 'close', reason: 'completed' },
    { type: 'close', reason: 'other', note: 'Person moved abroad.' },
    { type: 'withdraw', reason: 'Person agreed to informal admission.' },
    { type: 'request-withdrawal', reason: 'Person agreed to informal admission.' },
    { type: 'information-added', note: 'Mother reports he has not slept for three nights.' },
    { type: 'handed-over', toTeam: 'day-service', reason: 'End of out-of-hours shift.' },
    { type: 'handed-over', toAmhpId: 'amhp-0007', reason: 'Over hours.' },
    { type: 'escalated', escalationType: 'no-bed', bedType: 'adult-acute', whereWaiting: 'emergency-department' },
    { type: 'escalated', escalationType: 'no-s12-doctor', note: 'Rota exhausted.' },
    { type: 's12-doctor-requested', occurredAt: '2026-11-14T02:30:00Z' },
    { type: 's12-doctor-arrived', occurredAt: '2026-11-14T04:10:00Z' },
    { type: 'medical-examination-completed', recommendationMade: true },
    { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' },
    { type: 'bed-identified', unitId: 'unit-elm', outOfArea: true },
    { type: 'bed-identified', outOfArea: false },
    { type: 'conveyance-requested', mode: 'ambulance' },
    { type: 'conveyance-arrived' },
    { type: 'police-requested', ground: 'risk-assessed-safety-need' },
    { type: 'police-arrived' },
    { type: 'police-declined', reason: 'no-resources' },
    { type: 'interpreter-requested', language: 'Polish' },
    { type: 'interpreter-arrived' },
    { type: 'legal-status-changed', to: { status: 's2', admittedAt: '2026-11-14T12:00:00Z' } },
    { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'health-based-place-of-safety', siteId: 'RC9-HBPOS' },
    { type: 'transferred-between-places-of-safety', placeOfSafetyType: 'emergency-department', siteId: 'RC9-ED' },
    { type: 'clock-extended', power: 's136', hours: 12, ground: 'condition-makes-assessment-impracticable', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' },
    { type: 'clock-extended', power: 's136', hours: 6, ground: 'condition-makes-assessment-impracticable', superintendentApproved: true, authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' },
    { type: 'detention-ended', power: 's136' },
    { type: 'co-allocate', amhpId: 'amhp-0007', reason: 'Attending for safety.' },
    { type: 'application-made', section: 's2', hospital: 'Oak Ward, Northshire Mental Health Centre', occurredAt: '2026-11-14T23:30:00Z' },
    { type: 'application-made', section: 's7', guardian: 'Northshire Council' },
    { type: 'fact-corrected', eventSeq: 1, field: 'detainedAt', value: '2026-11-14T22:55:00Z', reason: 'Custody record shows 22:55.' },
    { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'Reviewed with the force; lessons logged.' },
    { type: 'fact-corrected', eventSeq: 9, field: 'application', application: { hospital: 'Oak Ward', recommendations: [{ practitioner: 'Dr A', approval: 's12-approved', examinedOn: '2026-11-14', signedOn: '2026-11-14' }] }, reason: 'Forms checked.' },
    { type: 'record-outcome', outcome: 'detained-s3', nextSteps: 'Oak Ward.', application: { hospital: 'Oak Ward', amhpSeenOn: '2026-11-14', recommendations: [{ practitioner: 'Dr A', approval: 's12-approved', examinedOn: '2026-11-13', signedOn: '2026-11-13' }, { practitioner: 'Dr B', approval: 'registered-medical-practitioner', examinedOn: '2026-11-14', signedOn: '2026-11-14' }] } },
    { type: 'nearest-relative-identified', identity: 'person', name: 'Ruth Marsh', relationship: 'mother' },
    { type: 'nearest-relative-identified', identity: 'none' },
    { type: 'nearest-relative-informed', how: 'telephone', occurredAt: '2026-11-14T23:30:00Z' },
    { type: 'nearest-relative-consulted', objects: true, how: 'in-person' },
    { type: 'nearest-relative-not-practicable', reason: 'unreasonable-delay', note: 'Abroad, unreachable tonight.' },
    { type: 'nearest-relative-displaced', acting: { name: 'Jo Marsh', relationship: 'sister' } },
    { type: 'displacement-applied' },
    { type: 'reasons-sent', method: 'post' },
    { type: 'gp-letter-sent', method: 'secure-email' },
  ];

  it('has a valid case for every type, and the exported lists match the union', () => {
    const unionTypes = ReferralEventInput.options.map((o) => o.shape.type.value);
    expect([...REFERRAL_EVENT_INPUT_TYPES].sort()).toEqual([...unionTypes].sort());
    expect(new Set(valid.map((v) => v.type))).toEqual(new Set(REFERRAL_EVENT_INPUT_TYPES));
    expect(Object.keys(RECORDED_EVENT_TYPE).sort()).toEqual([...REFERRAL_EVENT_INPUT_TYPES].sort());
    expect(DECISION_EVENT_TYPES.every((t) => (REFERRAL_EVENT_INPUT_TYPES as readonly string[]).includes(t))).toBe(true);
    for (const t of REFERRAL_EVENT_INPUT_TYPES) expect(t).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // Hub-made decisions take the Hub's time.
    for (const t of ['start-review', 'accept', 'not-accept', 'allocate', 'amend-outcome', 'close', 'withdraw', 'request-withdrawal'])
      expect(EVENT_TYPES_WITH_OCCURRED_AT).not.toContain(t);
  });

  it.each(valid.map((v) => [v.type, v]))('accepts %s', (_type, body) => {
    expect(eventPointers(body)).toEqual([]);
  });

  it('outcomes with no application are exactly those other than ss.2, 3, 4 and 7', () => {
    expect(OUTCOMES.filter(outcomeMakesApplication)).toEqual(['detained-s2', 'detained-s3', 'detained-s4', 'guardianship-s7']);
    for (const outcome of OUTCOMES) {
      const pointers = eventPointers({ type: 'record-outcome', outcome, nextSteps: 'Plan.' });
      expect(pointers, outcome).toEqual(outcomeMakesApplication(outcome) ? [] : ['/reasonsInWriting']);
    }
  });

  const invalid: [string, Json, string[]][] = [
    ['an unknown type', { type: 'accepted', reason: 'x' }, ['/type']],
    ['no type', { reason: 'x' }, ['/type']],
    ['a system event', { type: 'clock-breached' }, ['/type']],
    ['accept without a reason', { type: 'accept' }, ['/reason']],
    ['a backdated triage', { type: 'accept', reason: 'ok', occurredAt: '2026-11-14T23:00:00Z' }, ['/occurredAt']],
    ['not-accept with an unknown disposition', { type: 'not-accept', reason: 'x', disposition: 'refused', nextSteps: 'y' }, ['/disposition']],
    ['not-accept without next steps', { type: 'not-accept', reason: 'x', disposition: 'advice' }, ['/nextSteps']],
    ['allocate without an AMHP', { type: 'allocate', expectedAttendanceAt: inMinutes(60) }, ['/amhpId']],
    ['allocate with a local time', { type: 'allocate', amhpId: 'amhp-1', expectedAttendanceAt: '2026-11-15T00:30:00' }, ['/expectedAttendanceAt']],
    ['an outcome outside the vocabulary', { type: 'record-outcome', outcome: 'detained', nextSteps: 'x' }, ['/outcome']],
    ['no application and no written reasons', { type: 'record-outcome', outcome: 'no-further-action', nextSteps: 'x' }, ['/reasonsInWriting']],
    ['an amendment without a reason', { type: 'amend-outcome', outcome: 'detained-s2', nextSteps: 'x' }, ['/reason']],
    ['an amendment to no application without reasons', { type: 'amend-outcome', outcome: 'informal-admission', reason: 'x', nextSteps: 'y' }, ['/reasonsInWriting']],
    ['close for an unknown reason', { type: 'close', reason: 'bored' }, ['/reason']],
    ['close "other" without a note', { type: 'close', reason: 'other' }, ['/note']],
    ['withdraw without a reason', { type: 'withdraw' }, ['/reason']],
    ['information without a note', { type: 'information-added', note: '' }, ['/note']],
    ['a handover to nobody', { type: 'handed-over', reason: 'x' }, ['/toTeam']],
    ['a handover to an unknown team', { type: 'handed-over', toTeam: 'night', reason: 'x' }, ['/toTeam']],
    ['no-bed without bed type or where waiting', { type: 'escalated', escalationType: 'no-bed' }, ['/bedType', '/whereWaiting']],
    ['an unknown escalation', { type: 'escalated', escalationType: 'weather' }, ['/escalationType']],
    ['a bed request for a mixed ward', { type: 'bed-requested', bedType: 'picu', sex: 'mixed' }, ['/sex']],
    ['an unknown bed type', { type: 'bed-requested', bedType: 'forensic', sex: 'female' }, ['/bedType']],
    ['bed identified without outOfArea', { type: 'bed-identified', unitId: 'unit-1' }, ['/outOfArea']],
    ['a legal status change without times', { type: 'legal-status-changed', to: { status: 's5-4' } }, ['/to/recordedAt']],
    ['arrival at an unknown kind of place', { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'car' }, ['/placeOfSafetyType']],
    ['an extension over 12 hours', { type: 'clock-extended', power: 's136', hours: 13, ground: 'condition-makes-assessment-impracticable', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' }, ['/hours']],
    ['an extension of 0 hours', { type: 'clock-extended', power: 's136', hours: 0, ground: 'condition-makes-assessment-impracticable', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' }, ['/hours']],
    ['an extension of 1.5 hours', { type: 'clock-extended', power: 's136', hours: 1.5, ground: 'condition-makes-assessment-impracticable', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' }, ['/hours']],
    ['an extension on another ground', { type: 'clock-extended', power: 's136', hours: 12, ground: 'no-bed', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' }, ['/ground']],
    ['an extension of a power without one', { type: 'clock-extended', power: 's5-2', hours: 12, ground: 'condition-makes-assessment-impracticable', authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' }, amhpConsulted: 'yes' }, ['/power']],
    ['an event in the future', { type: 's12-doctor-arrived', occurredAt: inMinutes(6) }, ['/occurredAt']],
    ['a legal status change with a future admission', { type: 'legal-status-changed', to: { status: 's2', admittedAt: inMinutes(60) } }, ['/to/admittedAt']],
    ['an unknown key', { type: 'conveyance-arrived', crew: 'A1' }, ['/crew']],
  ];

  it.each(invalid)('refuses %s', (_name, body, expected) => {
    expect(eventPointers(body)).toEqual([...expected].sort());
  });
});
