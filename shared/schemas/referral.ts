/**
 * The body of `POST /v1/referrals` (DOMAIN §2). Every object is strict (`z.strictObject`): an unknown key is
 * refused rather than dropped, so a partner's misspelt field never silently loses data.
 *
 * What the schema checks alone (no context needed): shapes, enums, lengths, the NHS number's
 * check digit, timestamp offsets, and the cross-field rules of §2 that only need the body
 * (see `crossFieldIssues` in `shared/domain/referral-rules.ts`). What needs the clock or the
 * registry (future times, served LSSAs, a date of birth after today) is `referralRuleProblems`,
 * run by the handler after a successful parse.
 *
 * Naming convention relied on by the rules: every RFC 3339 instant is a key ending in `At`,
 * and no other key ends in `At`; `dateOfBirth` is the only calendar date.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Id, LssaCode, Rfc3339 } from './common.js';
import { isValidNhsNumber, normaliseNhsNumber } from '../domain/nhs-number.js';
import { crossFieldIssues } from '../domain/referral-rules.js';
import { REFERRAL_CREATE_EXAMPLE, REFERRAL_CREATE_EXAMPLES } from './referral-examples.js';
import {
  AgeBand,
  Basis,
  Email,
  EthnicCategory,
  INSPECTOR_AUTHORISATION_GROUNDS,
  LocationType,
  Phone,
  PlaceOfSafetyType,
  RcrpGround,
  Sex,
  Urgency,
  YesNoUnknown,
  textBlock,
  textLine,
} from './referral-vocabulary.js';

export * from './referral-vocabulary.js';
export { REFERRAL_CREATE_EXAMPLE, REFERRAL_CREATE_EXAMPLES } from './referral-examples.js';

// ---------------------------------------------------------------------------------------------
// Person.

/** Spaces only in the printed 3-3-4 grouping; stored as ten digits (see nhs-number.ts). */
export const NhsNumber = z.pipe(
  z
    .string()
    .check(z.maxLength(12))
    .check(
      z.refine(isValidNhsNumber, 'an NHS number of 10 digits (or 3 3 4 with single spaces) with a valid check digit'),
    ),
  z.transform((s) => normaliseNhsNumber(s) ?? s),
);

/** A calendar date; "not after today" needs the clock and is `referralRuleProblems`. */
export const DateOfBirth = z.iso
  .date('a date as YYYY-MM-DD')
  .check(z.refine((s) => s >= '1900-01-01', 'a date of birth on or after 1900-01-01'));

const PersonCommon = {
  sex: Sex,
  ethnicity: EthnicCategory,
  communicationNeeds: z.optional(textBlock(1000)),
};

export const IdentifiedPerson = z.strictObject({
  /** Absent or `false`: the person is identified and their name and date of birth are required. */
  identityUnknown: z.optional(z.literal(false)),
  givenName: textLine(100),
  familyName: textLine(100),
  dateOfBirth: DateOfBirth,
  nhsNumber: z.optional(NhsNumber),
  ...PersonCommon,
  firstLanguage: textLine(60),
  interpreterNeeded: z.boolean(),
});

/** A person police or A&E cannot identify (§2): no name or date of birth, an estimate instead. */
export const UnidentifiedPerson = z
  .strictObject({
    identityUnknown: z.literal(true),
    description: textBlock(1000),
    estimatedAgeBand: AgeBand,
    /** "When in doubt" (§2): s.136A then treats them as a child. Absent means no. */
    appearsUnder18: z.optional(z.boolean()),
    ...PersonCommon,
    // Language may be unknowable for someone who cannot or will not communicate.
    firstLanguage: z.optional(textLine(60)),
    interpreterNeeded: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (p.estimatedAgeBand === '0-17' && p.appearsUnder18 === false)
        ctx.addIssue({
          code: 'custom',
          path: ['appearsUnder18'],
          message: 'contradicts an estimated age band of 0-17',
        });
    }),
  );

export const Person = z.discriminatedUnion('identityUnknown', [IdentifiedPerson, UnidentifiedPerson]);
export type Person = z.infer<typeof Person>;

// ---------------------------------------------------------------------------------------------
// Legal status and the timestamps each clock needs (§4).

export const InspectorAuthorisation = z.strictObject({
  authorisedAt: Rfc3339,
  ground: z.enum(INSPECTOR_AUTHORISATION_GROUNDS),
  healthcareProfessionalAvailable: z.optional(z.boolean()),
});

const placeOfSafetyShape = {
  detainedAt: Rfc3339,
  detainedAtLocationType: LocationType,
  /** The s.136/s.135 clock starts here when the person is taken to a place of safety (§4). */
  arrivedAtPlaceOfSafetyAt: z.optional(Rfc3339),
  /** Kept where found (or at the premises): the clock starts when that decision is made (§4). */
  keptWhereFoundAt: z.optional(Rfc3339),
  /** Absent while the person is still on the way (a later `arrived-at-place-of-safety` event). */
  placeOfSafetyType: z.optional(PlaceOfSafetyType),
  placeOfSafetySiteId: z.optional(Id),
  /** Required for an adult at a police station (2017 Regulations): checked with the person. */
  inspectorAuthorisation: z.optional(InspectorAuthorisation),
};

type PlaceOfSafetyFields = {
  detainedAt: string;
  arrivedAtPlaceOfSafetyAt?: string | undefined;
  keptWhereFoundAt?: string | undefined;
  placeOfSafetyType?: string | undefined;
  inspectorAuthorisation?: { authorisedAt: string } | undefined;
};

/**
 * Format errors do not stop zod's refinements, so a refinement may see a malformed time: only
 * well-formed instants are compared (the malformed one is already reported at its field).
 */
const instant = (s: string): number => (Rfc3339.safeParse(s).success ? Date.parse(s) : Number.NaN);
/** DOMAIN §3.1: time runs forwards, with 5 minutes' tolerance for clocks that disagree. */
const ORDER_TOLERANCE_MS = 5 * 60_000;
const wellBefore = (a: string, b: string): boolean => instant(a) < instant(b) - ORDER_TOLERANCE_MS;

/** Ordering and completeness of one detention's times: needs nothing but the object itself. */
function checkPlaceOfSafety(v: PlaceOfSafetyFields, ctx: z.core.$RefinementCtx): void {
  if (v.arrivedAtPlaceOfSafetyAt !== undefined && v.keptWhereFoundAt !== undefined)
    // Two starts would make the clock ambiguous; a later move is a transfer event (§4).
    ctx.addIssue({
      code: 'custom',
      path: ['keptWhereFoundAt'],
      message: 'give arrivedAtPlaceOfSafetyAt or keptWhereFoundAt, not both',
    });
  if (v.arrivedAtPlaceOfSafetyAt !== undefined && wellBefore(v.arrivedAtPlaceOfSafetyAt, v.detainedAt))
    ctx.addIssue({
      code: 'custom',
      path: ['arrivedAtPlaceOfSafetyAt'],
      message: 'arrival at the place of safety is more than 5 minutes before the detention',
    });
  if (v.keptWhereFoundAt !== undefined && wellBefore(v.keptWhereFoundAt, v.detainedAt))
    ctx.addIssue({
      code: 'custom',
      path: ['keptWhereFoundAt'],
      message: 'the decision to keep the person where found is more than 5 minutes before the detention',
    });
  if (
    (v.arrivedAtPlaceOfSafetyAt !== undefined || v.keptWhereFoundAt !== undefined) &&
    v.placeOfSafetyType === undefined
  )
    ctx.addIssue({
      code: 'custom',
      path: ['placeOfSafetyType'],
      message: 'required once the person is at a place of safety',
    });
  if (v.inspectorAuthorisation !== undefined && wellBefore(v.inspectorAuthorisation.authorisedAt, v.detainedAt))
    ctx.addIssue({
      code: 'custom',
      path: ['inspectorAuthorisation', 'authorisedAt'],
      message: 'the authorisation is more than 5 minutes before the detention',
    });
}

/**
 * s.136. A detention made in a dwelling (s.136(1A)) is recorded and flagged, never refused
 * (DOMAIN §2): refusing it would hide the person from the AMHP service. See referral-flags.ts.
 */
export const S136Status = z
  .strictObject({ status: z.literal('s136'), ...placeOfSafetyShape })
  .check(z.superRefine(checkPlaceOfSafety));

/** s.135: kept at the premises, the clock starts at the constable's first entry (s.135(3ZA)). */
const s135Shape = {
  ...placeOfSafetyShape,
  enteredPremisesAt: z.optional(Rfc3339),
};
function checkS135(
  v: PlaceOfSafetyFields & { enteredPremisesAt?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  checkPlaceOfSafety(v, ctx);
  if (v.enteredPremisesAt !== undefined && wellBefore(v.detainedAt, v.enteredPremisesAt))
    ctx.addIssue({
      code: 'custom',
      path: ['enteredPremisesAt'],
      message: 'the entry to the premises is more than 5 minutes after the detention',
    });
}

export const S135_1Status = z
  .strictObject({ status: z.literal('s135-1'), ...s135Shape })
  .check(z.superRefine(checkS135));
export const S135_2Status = z
  .strictObject({ status: z.literal('s135-2'), ...s135Shape })
  .check(z.superRefine(checkS135));

export const S5_4Status = z.strictObject({ status: z.literal('s5-4'), recordedAt: Rfc3339 });

export const S5_2Status = z
  .strictObject({
    status: z.literal('s5-2'),
    furnishedAt: Rfc3339,
    /** When s.5(4) preceded it, the 72 h run from the s.5(4) record (§4, J3). */
    precedingS54RecordedAt: z.optional(Rfc3339),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.precedingS54RecordedAt !== undefined && wellBefore(v.furnishedAt, v.precedingS54RecordedAt))
        ctx.addIssue({
          code: 'custom',
          path: ['precedingS54RecordedAt'],
          message: 'the s.5(4) record is after the s.5(2) report',
        });
    }),
  );

export const S4Status = z
  .strictObject({
    status: z.literal('s4'),
    applicationAt: Rfc3339,
    medicalExaminationAt: Rfc3339,
    /** The 72 h run from admission; absent while the person is not yet admitted (§4). */
    admittedAt: z.optional(Rfc3339),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.admittedAt !== undefined && wellBefore(v.admittedAt, v.applicationAt))
        ctx.addIssue({
          code: 'custom',
          path: ['admittedAt'],
          message: 'admission is more than 5 minutes before the application',
        });
    }),
  );

/** Detained under s.2 and being considered for s.3. */
export const S2Status = z.strictObject({ status: z.literal('s2'), admittedAt: Rfc3339 });

export const LegalStatus = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('informal') }),
  z.strictObject({ status: z.literal('none-known') }),
  S136Status,
  S135_1Status,
  S135_2Status,
  S5_2Status,
  S5_4Status,
  S4Status,
  S2Status,
  z.strictObject({ status: z.literal('guardianship') }),
  z.strictObject({ status: z.literal('cto') }),
]);
export type LegalStatus = z.infer<typeof LegalStatus>;

// ---------------------------------------------------------------------------------------------
// The rest of the referral.

export const ReferrerContact = z.strictObject({
  name: textLine(120),
  role: textLine(80),
  callbackPhone: Phone,
  email: z.optional(Email),
  /** The referrer's incident, custody or case number: echoed in every view and webhook (§2). */
  referrerReference: z
    .string()
    .check(
      z.regex(
        /^[A-Za-z0-9][A-Za-z0-9 ./:#_-]{0,63}$/,
        'a reference of up to 64 letters, digits, spaces or . / : # _ -',
      ),
    ),
});

export const Address = z.strictObject({
  lines: z.array(textLine(100)).check(z.minLength(1)).check(z.maxLength(5)),
  postcode: z.optional(z.string().check(z.regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, 'a UK postcode'))),
});

export const Location = z
  .strictObject({
    type: LocationType,
    address: z.optional(Address),
    siteId: z.optional(Id),
    description: z.optional(textLine(200)),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.address === undefined && v.siteId === undefined)
        ctx.addIssue({ code: 'custom', path: ['address'], message: 'an address or a siteId is required' });
    }),
  );

export const Risk = z
  .strictObject({
    violence: YesNoUnknown,
    weapons: YesNoUnknown,
    animals: YesNoUnknown,
    substanceUse: YesNoUnknown,
    othersPresent: YesNoUnknown,
    accessIssues: YesNoUnknown,
    loneWorkerRisk: YesNoUnknown,
    notes: z.optional(textBlock(2000)),
    policeAttendanceRequested: z.boolean(),
    /** Right Care, Right Person: police attend only on one of these grounds (003:37). */
    rcrpGround: z.optional(RcrpGround),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.policeAttendanceRequested && v.rcrpGround === undefined)
        ctx.addIssue({ code: 'custom', path: ['rcrpGround'], message: 'required when police attendance is requested' });
      if (!v.policeAttendanceRequested && v.rcrpGround !== undefined)
        ctx.addIssue({ code: 'custom', path: ['rcrpGround'], message: 'only with policeAttendanceRequested: true' });
    }),
  );

export const NearestRelative = z.strictObject({
  known: z.boolean(),
  name: z.optional(textLine(120)),
  relationship: z.optional(textLine(60)),
  contact: z.optional(textLine(200)),
});

export const Gp = z.strictObject({
  practiceName: textLine(120),
  odsCode: z.optional(z.string().check(z.regex(/^[A-Z]\d{5}$/, 'a GP practice ODS code such as A81001'))),
  phone: z.optional(Phone),
});

export const CareCoordinator = z.strictObject({
  name: textLine(120),
  team: z.optional(textLine(120)),
  phone: z.optional(Phone),
  email: z.optional(Email),
});

/** The create body before the cross-field rules; `crossFieldIssues` takes its output. */
export const ReferralCreateObject = z.strictObject({
  /** Organisation and agency type come from the caller, never from the body (§2). */
  referrer: ReferrerContact,
  basis: z._default(Basis, 'consideration'),
  person: Person,
  /** Where the person is (s.13); for `s13-4`, where they reside (§2). */
  responsibleLssa: LssaCode,
  location: Location,
  legalStatus: LegalStatus,
  reasonForReferral: textBlock(4000),
  urgency: Urgency,
  alternativesTried: z.optional(textBlock(2000)),
  risk: Risk,
  nearestRelative: z.optional(NearestRelative),
  gp: z.optional(Gp),
  careCoordinator: z.optional(CareCoordinator),
  doctorWithPreviousKnowledge: YesNoUnknown,
});
export type ReferralCreateFields = z.output<typeof ReferralCreateObject>;

export const ReferralCreate = ReferralCreateObject.check(
  z.superRefine((v, ctx) => {
    for (const issue of crossFieldIssues(v))
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  }),
).check(z.meta({ example: REFERRAL_CREATE_EXAMPLE, examples: REFERRAL_CREATE_EXAMPLES }));
export type ReferralCreate = z.output<typeof ReferralCreate>;
/** What a client sends (before defaults and normalisation). */
export type ReferralCreateInput = z.input<typeof ReferralCreate>;
