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
export const APPLICATION_OUTCOMES = ['detained-s2', 'detained-s3', 'detained-s4', 'guardianship-s7'] as const satisfies readonly Outcome[];
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
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/**
 * Flags that stand while a fact holds (the person is still where the law forbids): they clear
 * when the facts change, never by acknowledgement. The others record something that happened
 * and stay until the lead acknowledges them with a reason.
 */
export const FLAGS_RESOLVED_BY_FACTS = ['unlawful-place-of-safety', 'police-station-without-authorisation'] as const satisfies readonly FlagCode[];
export const ACKNOWLEDGEABLE_FLAGS = FLAG_CODES.filter(
  (c) => !(FLAGS_RESOLVED_BY_FACTS as readonly string[]).includes(c),
) as Exclude<FlagCode, (typeof FLAGS_RESOLVED_BY_FACTS)[number]>[];

/** Application sections an AMHP makes on paper (DOMAIN §3.1). */
export const APPLICATION_SECTIONS = ['s2', 's3', 's4', 's7'] as const;
