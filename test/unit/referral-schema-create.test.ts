/** referral-schema tests, create: see ./referral-schema.fixture.ts for what they run against. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  AGE_BANDS,
  ETHNIC_CATEGORIES,
  REFERRAL_CREATE_EXAMPLE,
  ReferralCreate,
} from '../../shared/schemas/referral.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { referralRuleProblems } from '../../shared/domain/referral-rules.js';
import {
  CTX,
  inMinutes,
  type Json,
  example,
  problemsOf,
  edit,
  UNIDENTIFIED,
  AUTHORISED,
  AT_POLICE_STATION,
} from './referral-schema.fixture.js';

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
        [
          '/legalStatus',
          {
            status: 's5-2',
            furnishedAt: '2026-07-01T15:00:00+01:00',
            precedingS54RecordedAt: '2026-07-01T12:00:00+01:00',
          },
        ],
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
    [
      's.136 adult at a police station with the inspector’s authorisation',
      edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', AUTHORISED]),
    ],
    [
      's.136 kept where found in A&E',
      edit(
        ['/legalStatus/detainedAtLocationType', 'emergency-department'],
        ['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined],
        ['/legalStatus/keptWhereFoundAt', '2026-11-14T23:10:00Z'],
      ),
    ],
    [
      's.136 still on the way (no place of safety yet)',
      edit(['/legalStatus/arrivedAtPlaceOfSafetyAt', undefined], ['/legalStatus/placeOfSafetyType', undefined]),
    ],
    [
      's.135(1) warrant executed at home, taken to a health-based suite',
      edit([
        '/legalStatus',
        {
          status: 's135-1',
          detainedAt: '2026-11-14T20:00:00Z',
          detainedAtLocationType: 'home',
          arrivedAtPlaceOfSafetyAt: '2026-11-14T20:45:00Z',
          placeOfSafetyType: 'health-based-place-of-safety',
        },
      ]),
    ],
    [
      'a home as place of safety with consent under s.136',
      edit(['/legalStatus/placeOfSafetyType', 'dwelling-with-consent']),
    ],
    [
      's.4 admitted',
      edit([
        '/legalStatus',
        {
          status: 's4',
          medicalExaminationAt: '2026-11-14T18:00:00Z',
          applicationAt: '2026-11-14T18:30:00Z',
          admittedAt: '2026-11-14T21:00:00Z',
        },
      ]),
    ],
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
      [
        '/referrer',
        {
          name: t(120),
          role: t(80),
          callbackPhone: `+44 ${'7'.repeat(21)}`,
          email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.example`,
          referrerReference: 'R'.repeat(64),
        },
      ],
      ['/person/givenName', t(100)],
      ['/person/familyName', t(100)],
      ['/person/firstLanguage', t(60)],
      ['/person/communicationNeeds', t(1000)],
      [
        '/location',
        {
          type: 'public-place',
          address: { lines: Array.from({ length: 5 }, () => t(100)), postcode: 'SB1 2XY' },
          siteId: 'S'.repeat(64),
          description: t(200),
        },
      ],
      ['/reasonForReferral', t(4000)],
      ['/alternativesTried', t(2000)],
      ['/risk/notes', t(2000)],
      ['/nearestRelative', { known: true, name: t(120), relationship: t(60), contact: t(200) }],
      ['/gp', { practiceName: t(120), odsCode: 'A81001', phone: `+44 ${'7'.repeat(21)}` }],
      ['/careCoordinator', { name: t(120), team: t(120), phone: `+44 ${'7'.repeat(21)}`, email: 'cc@nhs.example' }],
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
