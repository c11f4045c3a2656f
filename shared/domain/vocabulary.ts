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
