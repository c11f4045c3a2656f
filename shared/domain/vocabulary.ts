/**
 * Vocabularies of DOMAIN §3 and §5 as plain constants, with no schema library: the zod schemas
 * (shared/schemas) and the operator console (console/, a browser bundle) both read them here.
 */

/** DOMAIN §3 outcome vocabulary. */
export const OUTCOMES = [
  'detained-s2',
  'detained-s3',
  'detained-s4',
  'guardianship-s7',
  'informal-admission',
  'home-treatment-crisis-team',
  'crisis-house-or-safe-space',
  'community-support',
  'referred-to-other-service',
  'mca-dols-route',
  'no-further-action',
  'recommendations-made-no-bed',
  'application-not-made-other',
  'nearest-relative-objection',
  'unable-to-assess',
  's135-warrant-sought',
  's136-discharged-no-further-action',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The outcomes where the AMHP made an application (ss.2, 3, 4, 7). Every other outcome makes no
 * application and must carry reasons in writing (§3): including `informal-admission` (no
 * application is needed because the person agreed), `recommendations-made-no-bed` (medical
 * recommendations exist but no application could be made) and `s135-warrant-sought` (a warrant
 * is not an application for admission).
 */
export const APPLICATION_OUTCOMES = [
  'detained-s2',
  'detained-s3',
  'detained-s4',
  'guardianship-s7',
] as const satisfies readonly Outcome[];
export const outcomeMakesApplication = (o: Outcome): boolean => (APPLICATION_OUTCOMES as readonly string[]).includes(o);

/** DOMAIN §5 bed types. */
export const BED_TYPES = [
  'adult-acute',
  'picu',
  'older-adult',
  'camhs',
  'learning-disability',
  'eating-disorder',
  'mother-and-baby',
  'low-secure',
  'assessment-unit',
] as const;

/** How a unit's beds are described: a male or female ward, or a mixed unit (DOMAIN §5). */
export const BED_SEXES = ['male', 'female', 'mixed'] as const;

/**
 * Flags the Hub raises on a referral (DOMAIN §2, §3.1): what happened in the world that the law
 * forbids or that needs the lead's eye. Recorded and shown, never a reason to refuse the fact.
 */
export const FLAG_CODES = [
  /** s.136A: a police station as the place of safety for a person under 18 (or who appears so). */
  'unlawful-place-of-safety',
  /** 2017 Regulations: an adult at a police station without an inspector's authorisation. */
  'police-station-without-authorisation',
  /** s.136(1A): the s.136 power used in a dwelling. */
  's136-in-dwelling',
  /** s.131A: a bed other than CAMHS requested for a person under 18 (with its recorded reason). */
  'under-18-bed-type',
  /** §3.1 application evidence: fewer than two medical recommendations (one for s.4). */
  'evidence-too-few-recommendations',
  /** s.12(1): more than five clear days between the two examinations. */
  'evidence-examinations-too-far-apart',
  /** A recommendation signed after the application. */
  'evidence-signed-after-application',
  /** s.6(1)(a): the application outside 14 days beginning with the last examination. */
  'evidence-outside-admission-window',
  /** s.11(5): the AMHP has not seen the person within the 14 days ending with the application. */
  'evidence-amhp-not-seen-within-14-days',
  /** s.11(3): an s.2 or s.4 application and the nearest relative not yet informed. */
  'nearest-relative-not-informed',
  /** s.11(4): an s.3 or guardianship application without consultation (or why not). */
  'nearest-relative-not-consulted',
  /** s.13(4): no application followed a nearest relative's request; the reasons are not yet sent. */
  'reasons-in-writing-pending',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/**
 * Flags that stand while a fact holds (the person is still where the law forbids, the nearest
 * relative is not yet informed, the letter is not yet sent): they clear when the facts change,
 * never by acknowledgement. The others record something that happened and stay until the lead
 * acknowledges them with a reason (or, for evidence, a correction clears them).
 */
export const FLAGS_RESOLVED_BY_FACTS = [
  'unlawful-place-of-safety',
  'police-station-without-authorisation',
  'nearest-relative-not-informed',
  'nearest-relative-not-consulted',
  'reasons-in-writing-pending',
] as const satisfies readonly FlagCode[];
export const ACKNOWLEDGEABLE_FLAGS = FLAG_CODES.filter(
  (c) => !(FLAGS_RESOLVED_BY_FACTS as readonly string[]).includes(c),
) as Exclude<FlagCode, (typeof FLAGS_RESOLVED_BY_FACTS)[number]>[];
export const EVIDENCE_FLAGS = FLAG_CODES.filter((c) => c.startsWith('evidence-'));

/**
 * Medical recommendations: by an s.12(2)-approved doctor, an approved clinician (s.12(2A)), or another registered
 * practitioner.
 */
export const PRACTITIONER_APPROVALS = [
  's12-approved',
  'approved-clinician',
  'registered-medical-practitioner',
] as const;
/** s.11(4) / s.11(3): why the nearest relative was not consulted or informed. */
export const NOT_PRACTICABLE_REASONS = ['not-reasonably-practicable', 'unreasonable-delay'] as const;
/** How a letter went. */
export const LETTER_METHODS = ['post', 'email', 'hand-delivered', 'secure-email'] as const;
/**
 * s.13(4): the outcomes after which no written reasons are owed (an application may still
 * follow, or there was no assessment to explain). Every other outcome that makes no application
 * owes them.
 */
export const OUTCOMES_OWING_NO_REASONS = [
  'recommendations-made-no-bed',
  's135-warrant-sought',
  'unable-to-assess',
] as const;

/** Application sections an AMHP makes on paper (DOMAIN §3.1). */
export const APPLICATION_SECTIONS = ['s2', 's3', 's4', 's7'] as const;

// Lists the zod schemas build enums from and the extracts' data dictionary reads (DOMAIN §2, §5,
// §7). Here, not beside the schemas, so an extract handler need not build the referral and
// registry schemas at start-up to know the codes (#21). The schema modules re-export them.

export const SEXES = ['male', 'female', 'indeterminate', 'not-known'] as const;

export const LEGAL_STATUSES = [
  'informal',
  'none-known',
  's136',
  's135-1',
  's135-2',
  's5-2',
  's5-4',
  's4',
  's2',
  'guardianship',
  'cto',
] as const;

export const AGENCY_TYPES = [
  'police',
  'ambulance',
  'emergency-department',
  'cmht',
  'crisis-team',
  'ward',
  'gp',
  'amhp-service',
  'nhs-provider',
  'analytics',
  'information-governance',
] as const;

export const ESCALATION_TYPES = [
  'no-bed',
  'no-s12-doctor',
  'conveyance-delay',
  'police-unavailable',
  'safety-concern',
  'amhp-over-hours',
  'capacity-surge',
  'cross-border-dispute',
] as const;
