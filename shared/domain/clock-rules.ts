/**
 * The statutory periods as data, not code (DOMAIN §4): Mental Health Act reform is in progress
 * and may change any period, the extension or the use of police stations, so `computeClocks`
 * takes a rule table and every clock records the `version` it was computed under.
 * [law] MHA 1983 ss.2, 4, 5, 6, 135, 136 and 136B, as amended by the Policing and Crime Act 2017
 * (in force 11 December 2017).
 */

export const POWERS = [
  's136',
  's135-1',
  's135-2',
  's5-4',
  's5-2',
  's4',
  's4-admission',
  's2',
  'admission-window',
] as const;
export type Power = (typeof POWERS)[number];

/** The powers whose clock starts at a place of safety and can be extended (ss.135(3ZA), 136(2A), 136B). */
export const PLACE_OF_SAFETY_POWERS = ['s136', 's135-1', 's135-2'] as const;
export type PlaceOfSafetyPower = (typeof PLACE_OF_SAFETY_POWERS)[number];

export interface ExtensionRule {
  /** s.136B: at most 12 hours, added to the end of the 24 (so never beyond 36 h from the start). */
  readonly maxHours: number;
  /** Read literally the power is used once; `false` would allow several up to `maxHours` in total. */
  readonly once: boolean;
  /** s.136B: the only ground (the condition makes completing the assessment in 24 h impracticable). */
  readonly ground: string;
  /** s.136B: the registered medical practitioner responsible for the examination. */
  readonly byRole: string;
  /** s.136B: at a police station the extension also needs a superintendent's approval. */
  readonly superintendentApprovalAt: readonly string[];
}

export type PowerRule =
  | { readonly unit: 'hours'; readonly period: number; readonly extension?: ExtensionRule }
  | { readonly unit: 'days'; readonly period: number };

export interface ClockRules {
  readonly version: string;
  readonly powers: { readonly [P in Power]: PowerRule };
  /** Offsets before expiry at which a clock enters (and the sweep announces) a warning. */
  readonly warnings: { readonly hours: readonly number[]; readonly days: readonly number[] };
}

const PLACE_OF_SAFETY_EXTENSION = {
  maxHours: 12,
  once: true,
  ground: 'condition-makes-assessment-impracticable',
  byRole: 'registered-medical-practitioner',
  superintendentApprovalAt: ['police-station', 'custody'],
} as const satisfies ExtensionRule;

export const CLOCK_RULES = {
  version: '2017-12-11', // Policing and Crime Act 2017 commencement: 24 h (+ 12 h) replaced 72 h.
  powers: {
    s136: { unit: 'hours', period: 24, extension: PLACE_OF_SAFETY_EXTENSION },
    's135-1': { unit: 'hours', period: 24, extension: PLACE_OF_SAFETY_EXTENSION },
    's135-2': { unit: 'hours', period: 24, extension: PLACE_OF_SAFETY_EXTENSION },
    's5-4': { unit: 'hours', period: 6 },
    's5-2': { unit: 'hours', period: 72 },
    s4: { unit: 'hours', period: 72 },
    // s.6(1)(b): admission within 24 h of the examination or the application, whichever is earlier.
    's4-admission': { unit: 'hours', period: 24 },
    // s.2(4): "28 days beginning with the day on which he is admitted".
    s2: { unit: 'days', period: 28 },
    // s.6(1)(a): "14 days beginning with the date on which the patient was last medically examined".
    'admission-window': { unit: 'days', period: 14 },
  },
  warnings: { hours: [6, 2], days: [1] },
} as const satisfies ClockRules;
