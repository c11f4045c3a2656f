/**
 * referral-schema tests, create: refused with a 400 naming the field, or recorded and flagged
 * (split out of referral-schema-create.test.ts); see ./referral-schema.fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ReferralCreate } from '../../shared/schemas/referral.js';
import { ageOn, isUnder18At } from '../../shared/domain/referral-rules.js';
import { intakeFlags } from '../../shared/domain/referral-transition.js';
import { clockFactsOfReferral } from '../../shared/domain/referral.js';
import { computeClocks } from '../../shared/domain/clocks.js';
import { parseOrThrow } from '../../shared/http/validation.js';
import {
  NOW,
  inMinutes,
  type Json,
  example,
  problemsOf,
  pointersOf,
  edit,
  UNIDENTIFIED,
  AUTHORISED,
  AT_POLICE_STATION,
} from './referral-schema.fixture.js';

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
      [
        '/legalStatus/arrivedAtPlaceOfSafetyAt',
        '/legalStatus/detainedAt',
        '/legalStatus/inspectorAuthorisation/authorisedAt',
      ],
    ],
    [
      'an s.2 admission in the future',
      edit(['/legalStatus', { status: 's2', admittedAt: inMinutes(60 * 24) }]),
      ['/legalStatus/admittedAt'],
    ],
    // "... or without a UTC offset"
    ['a time without an offset', edit(['/legalStatus/detainedAt', '2026-11-14T23:05:00']), ['/legalStatus/detainedAt']],
    [
      'a date where a time is due',
      edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-11-14']),
      ['/legalStatus/arrivedAtPlaceOfSafetyAt'],
    ],
    // "arrival at a place of safety before the detention"
    [
      'arrival before the detention',
      edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-11-14T22:00:00Z']),
      ['/legalStatus/arrivedAtPlaceOfSafetyAt'],
    ],
    [
      'arrival before the detention across offsets',
      // 22:05Z detained, 21:55Z arrived: 10 minutes before, beyond the 5 minutes' tolerance.
      edit(
        ['/legalStatus/detainedAt', '2026-07-01T23:05:00+01:00'],
        ['/legalStatus/arrivedAtPlaceOfSafetyAt', '2026-07-01T21:55:00Z'],
      ),
      ['/legalStatus/arrivedAtPlaceOfSafetyAt'],
    ],
    [
      'kept where found before the detention',
      edit(
        ['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined],
        ['/legalStatus/keptWhereFoundAt', '2026-11-14T22:55:00Z'],
      ),
      ['/legalStatus/keptWhereFoundAt'],
    ],
    [
      'an authorisation without its ground',
      edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', { authorisedAt: AUTHORISED.authorisedAt }]),
      ['/legalStatus/inspectorAuthorisation/ground'],
    ],
    [
      'an authorisation with an unknown ground',
      edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', { ...AUTHORISED, ground: 'no-bed' }]),
      ['/legalStatus/inspectorAuthorisation/ground'],
    ],
    [
      'an authorisation before the detention',
      edit(...AT_POLICE_STATION, [
        '/legalStatus/inspectorAuthorisation',
        { ...AUTHORISED, authorisedAt: '2026-11-14T22:00:00Z' },
      ]),
      ['/legalStatus/inspectorAuthorisation/authorisedAt'],
    ],
    // Date of birth
    ['a date of birth in the future', edit(['/person/dateOfBirth', '2026-11-15']), ['/person/dateOfBirth']],
    ['an impossible date of birth', edit(['/person/dateOfBirth', '2023-02-29']), ['/person/dateOfBirth']],
    ['a date of birth with a time', edit(['/person/dateOfBirth', '1992-03-08T00:00:00Z']), ['/person/dateOfBirth']],
    ['a date of birth before 1900', edit(['/person/dateOfBirth', '1899-12-31']), ['/person/dateOfBirth']],
    // Identity
    ['an identified person without a family name', edit(['/person/familyName', undefined]), ['/person/familyName']],
    [
      'an identified person without name or date of birth',
      edit(['/person/givenName', undefined], ['/person/familyName', undefined], ['/person/dateOfBirth', undefined]),
      ['/person/dateOfBirth', '/person/familyName', '/person/givenName'],
    ],
    [
      'identityUnknown without description or age band',
      edit(['/person', { identityUnknown: true, sex: 'male', ethnicity: '99' }]),
      ['/person/description', '/person/estimatedAgeBand'],
    ],
    [
      'identityUnknown with a name',
      edit(['/person', { ...UNIDENTIFIED, familyName: 'Smith' }]),
      ['/person/familyName'],
    ],
    ['identityUnknown not a boolean', edit(['/person/identityUnknown', 'yes']), ['/person/identityUnknown']],
    [
      'appearsUnder18 false with a 0-17 estimate',
      edit(['/person', { ...UNIDENTIFIED, estimatedAgeBand: '0-17', appearsUnder18: false }]),
      ['/person/appearsUnder18'],
    ],
    // Organisation and agency type come from the caller (§2)
    ['an organisation in the body', edit(['/organisationId', 'police-force-b']), ['/organisationId']],
    ['an agency type in the referrer', edit(['/referrer/agencyType', 'police']), ['/referrer/agencyType']],
    [
      'unknown keys in several places',
      edit(['/risk/knife', true], ['/legalStatus/clock', 24]),
      ['/legalStatus/clock', '/risk/knife'],
    ],
    // Other structure
    ['police requested without an RCRP ground', edit(['/risk/rcrpGround', undefined]), ['/risk/rcrpGround']],
    ['an RCRP ground without a police request', edit(['/risk/policeAttendanceRequested', false]), ['/risk/rcrpGround']],
    ['a location with neither address nor site', edit(['/location/siteId', undefined]), ['/location/address']],
    [
      'at a place of safety of no stated type',
      edit(['/legalStatus/placeOfSafetyType', undefined]),
      ['/legalStatus/placeOfSafetyType'],
    ],
    [
      'both arrived and kept where found',
      edit(['/legalStatus/keptWhereFoundAt', '2026-11-14T23:10:00Z']),
      ['/legalStatus/keptWhereFoundAt'],
    ],
    [
      's.5(4) recorded after the s.5(2) report',
      edit([
        '/legalStatus',
        { status: 's5-2', furnishedAt: '2026-11-14T15:00:00Z', precedingS54RecordedAt: '2026-11-14T16:00:00Z' },
      ]),
      ['/legalStatus/precedingS54RecordedAt'],
    ],
    [
      's.4 admission before the application',
      edit([
        '/legalStatus',
        {
          status: 's4',
          medicalExaminationAt: '2026-11-14T18:00:00Z',
          applicationAt: '2026-11-14T18:30:00Z',
          admittedAt: '2026-11-14T18:00:00Z',
        },
      ]),
      ['/legalStatus/admittedAt'],
    ],
    ['s.2 without the admission time', edit(['/legalStatus', { status: 's2' }]), ['/legalStatus/admittedAt']],
    [
      's.136 fields on an informal status',
      edit(['/legalStatus', { status: 'informal', detainedAt: '2026-11-14T23:05:00Z' }]),
      ['/legalStatus/detainedAt'],
    ],
    [
      'a nearest relative request with no nearest relative',
      edit(['/basis', 's13-4'], ['/nearestRelative', undefined]),
      ['/nearestRelative'],
    ],
    [
      'a nearest relative request with an unknown relative',
      edit(['/basis', 's13-4'], ['/nearestRelative', { known: false }]),
      ['/nearestRelative/contact', '/nearestRelative/known', '/nearestRelative/name'],
    ],
    ['a reason for referral over 4000 characters', edit(['/reasonForReferral', long(4001)]), ['/reasonForReferral']],
    ['an empty reason for referral', edit(['/reasonForReferral', '   ']), ['/reasonForReferral']],
    ['a control character in a name', edit(['/person/givenName', 'Dan\u0000iel']), ['/person/givenName']],
    ['a line break in a name', edit(['/person/familyName', 'Marsh\nSmith']), ['/person/familyName']],
    ['a bad e-mail', edit(['/referrer/email', 'not-an-email']), ['/referrer/email']],
    ['a bad callback phone', edit(['/referrer/callbackPhone', 'ring the desk']), ['/referrer/callbackPhone']],
    ['a bad referrer reference', edit(['/referrer/referrerReference', '<script>']), ['/referrer/referrerReference']],
    ['a bad GP ODS code', edit(['/gp', { practiceName: 'X Surgery', odsCode: '123' }]), ['/gp/odsCode']],
    ['interpreterNeeded as a string', edit(['/person/interpreterNeeded', 'no']), ['/person/interpreterNeeded']],
    [
      'a malformed detention time at a police station (no crash, one problem)',
      edit(...AT_POLICE_STATION, ['/legalStatus/detainedAt', 'soon']),
      ['/legalStatus/detainedAt'],
    ],
    [
      'a malformed date of birth at a police station',
      edit(
        ...AT_POLICE_STATION,
        ['/legalStatus/inspectorAuthorisation', AUTHORISED],
        ['/person/dateOfBirth', 'unknown'],
      ),
      ['/person/dateOfBirth'],
    ],
    ['a body that is not an object', [], ['']],
  ];

  it.each(invalid)('%s', (_name, body, expected) => {
    expect(pointersOf(body)).toEqual([...expected].sort());
  });

  it('names fields without echoing what was sent', () => {
    const secrets = [
      '9434765918',
      'Dan\u0000iel',
      'welfare-check',
      'car-park',
      '2026-11-15',
      '<script>',
      'police-force-b',
    ];
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
    const person = {
      givenName: 'A',
      familyName: 'B',
      dateOfBirth: '2008-06-15',
      sex: 'male',
      ethnicity: 'A',
      firstLanguage: 'English',
      interpreterNeeded: false,
    } as const;
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
    [
      'a police station for a 16-year-old',
      edit(
        ...AT_POLICE_STATION,
        ['/person/dateOfBirth', '2010-05-01'],
        ['/legalStatus/inspectorAuthorisation', AUTHORISED],
      ),
      'unlawful-place-of-safety',
    ],
    [
      'a police station for someone 18 tomorrow',
      edit(
        ...AT_POLICE_STATION,
        ['/person/dateOfBirth', '2008-11-15'],
        ['/legalStatus/inspectorAuthorisation', AUTHORISED],
      ),
      'unlawful-place-of-safety',
    ],
    [
      'custody for someone who appears under 18',
      edit(
        ['/location', { type: 'custody', siteId: 'FORCE-A-CUSTODY' }],
        ['/person', { ...UNIDENTIFIED, appearsUnder18: true }],
      ),
      'unlawful-place-of-safety',
    ],
    [
      'a police station for an estimated 0-17',
      edit(...AT_POLICE_STATION, ['/person', { ...UNIDENTIFIED, estimatedAgeBand: '0-17' }]),
      'unlawful-place-of-safety',
    ],
    [
      's.135(2) to a police station for a child',
      edit(
        ['/person/dateOfBirth', '2012-01-01'],
        [
          '/legalStatus',
          {
            status: 's135-2',
            detainedAt: '2026-11-14T20:00:00Z',
            detainedAtLocationType: 'inpatient-ward',
            arrivedAtPlaceOfSafetyAt: '2026-11-14T20:30:00Z',
            placeOfSafetyType: 'police-station',
          },
        ],
      ),
      'unlawful-place-of-safety',
    ],
    // "for an adult at a police station the referral must carry the inspector's authorisation and its ground"
    [
      'an adult at a police station without authorisation',
      edit(...AT_POLICE_STATION),
      'police-station-without-authorisation',
    ],
    [
      'an adult in custody under s.136 without authorisation',
      edit(['/location', { type: 'custody', siteId: 'FORCE-A-CUSTODY' }]),
      'police-station-without-authorisation',
    ],
    [
      'an 18-year-old (birthday today) at a police station without authorisation',
      edit(...AT_POLICE_STATION, ['/person/dateOfBirth', '2008-11-14']),
      'police-station-without-authorisation',
    ],
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
