/**
 * The s.140 register (DOMAIN §5, §9): per ICB, the units its s.140 notice names for urgent and
 * special-urgency admission, its arrangements for under-18s, and its 24-hour contact. Registry
 * data (seeded locally from infra/local/seed/registry.json), read by the lead and bed managers.
 */
import * as z from 'zod/mini';
import './zod-locale.js';

export const S140RegisterEntry = z.strictObject({
  /** The ICB (ODS code), as on a bed unit. */
  icb: z.string().check(z.regex(/^[A-Z0-9]{3,5}$/, 'an ODS code')),
  name: z.string().check(z.minLength(1)).check(z.maxLength(120)),
  /** Units named for urgent admission (s.140). */
  urgentUnits: z.array(z.string().check(z.minLength(1))).check(z.maxLength(50)),
  /** Units named for special-urgency admission (s.140). */
  specialUrgencyUnits: z.array(z.string().check(z.minLength(1))).check(z.maxLength(50)),
  /** How a bed is found for a person under 18 (s.131A: an environment suitable for their age). */
  under18Arrangements: z.string().check(z.minLength(1)).check(z.maxLength(500)),
  /** The ICB's 24-hour s.140 contact: the ladder's top step. */
  contact24h: z.string().check(z.minLength(1)).check(z.maxLength(200)),
});
export type S140RegisterEntry = z.infer<typeof S140RegisterEntry>;

export const S140RegisterQuery = z.strictObject({
  icb: z.optional(z.string().check(z.regex(/^[A-Z0-9]{3,5}$/, 'an ODS code'))),
});
export const S140RegisterPage = z.object({ items: z.array(S140RegisterEntry), nextCursor: z.null() });
