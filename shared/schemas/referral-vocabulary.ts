/**
 * The text rules and vocabularies of the referral body (DOMAIN §2), split from referral.ts to keep
 * each file small; referral.ts re-exports everything here, so importers need not know.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { LEGAL_STATUSES, SEXES } from '../domain/vocabulary.js';
// ---------------------------------------------------------------------------------------------
// Text. Lengths keep a full referral far below the 64 KB body limit (§2) while leaving room for
// real narratives; free text is identifiable and never logged (§2, §8).

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_CONTROL = /[\u0000-\u001F\u007F]/;
/**
 * Characters that make text display other than it reads: bidi embeddings, overrides and
 * isolates (U+202A–202E, U+2066–2069: "Trojan Source" reordering) and zero-width characters
 * (U+200B–200D, U+2060, U+FEFF) that make two names look the same and hash differently. Refused,
 * never stripped, so what is stored is what the referrer sent.
 */
const INVISIBLE = /[\u200B-\u200D\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
/** A lone surrogate is not Unicode text: it cannot be stored, hashed or shown reliably. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** Well-formed, visible, NFC-normalised, trimmed, 1 to `max` characters: what lines and paragraphs share. */
const cleanText = (max: number) =>
  z
    .string()
    .check(z.refine(wellFormed, 'text without lone surrogates'))
    // Before trim: String.prototype.trim removes U+FEFF, which would hide it rather than refuse it.
    .check(z.refine((s) => !INVISIBLE.test(s), 'text without bidi-control or zero-width characters'))
    .check(z.normalize('NFC'))
    .check(z.trim())
    .check(z.minLength(1))
    .check(z.maxLength(max));

/**
 * One line of text: NFC-normalised (so "é" composed and decomposed are one name for matching
 * and pseudonymisation), trimmed, not empty, no control, bidi or zero-width characters (names,
 * roles, references).
 */
export const textLine = (max: number) =>
  cleanText(max).check(z.refine((s) => !LINE_CONTROL.test(s), 'a single line of text without control characters'));

/** A paragraph: as a line, except that line breaks and tabs are allowed. */
export const textBlock = (max: number) =>
  cleanText(max).check(z.refine((s) => !CONTROL.test(s), 'text without control characters'));

export const Phone = z
  .string()
  .check(z.maxLength(25))
  .check(z.regex(/^\+?\d[\d ()-]{5,23}$/, 'a telephone number of digits, spaces, "+", "(", ")" or "-"'));
export const Email = z.email('an e-mail address').check(z.maxLength(254));

// ---------------------------------------------------------------------------------------------
// Vocabularies (DOMAIN §2).

// Plain lists in the domain vocabulary (zod-free, for the extracts' dictionary), re-exported here.
export { LEGAL_STATUSES, SEXES };
export const BASES = ['consideration', 's13-4'] as const;
/** NHS ethnic category (Data Dictionary): `Z` = not stated, `99` = not known. */
export const ETHNIC_CATEGORIES = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'R',
  'S',
  'Z',
  '99',
] as const;
/** The same bands as the de-identified extracts (§7), so an estimate needs no re-banding. */
export const AGE_BANDS = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export const LOCATION_TYPES = [
  'home',
  'public-place',
  'emergency-department',
  'place-of-safety',
  'police-station',
  'custody',
  'inpatient-ward',
  'other',
] as const;
export const URGENCIES = ['immediate', 'today', 'planned'] as const;
export const YES_NO_UNKNOWN = ['yes', 'no', 'unknown'] as const;
/** Right Care, Right Person grounds for police attendance (003:37). */
export const RCRP_GROUNDS = ['threat-to-life', 'crime', 'breach-of-the-peace', 'risk-assessed-safety-need'] as const;

/** The powers that take a person to (or keep them at) a place of safety: §4's 24 h clocks. */
export const PLACE_OF_SAFETY_POWERS = ['s136', 's135-1', 's135-2'] as const;
/**
 * Kinds of place of safety (s.135(6)). A custody suite is a police station for this purpose,
 * so there is one `police-station` value; a dwelling only with the occupier's consent (§2).
 */
export const PLACE_OF_SAFETY_TYPES = [
  'health-based-place-of-safety',
  'emergency-department',
  'other-hospital',
  'care-home-or-residential-accommodation',
  'dwelling-with-consent',
  'police-station',
  'other-suitable-place',
] as const;
/**
 * The 2017 Places of Safety Regulations allow a police station for an adult only when their
 * behaviour poses an imminent risk of serious injury or death to themselves or another, no
 * other place of safety can reasonably be expected to detain them, and (so far as practicable)
 * a healthcare professional is available; an inspector or above authorises it.
 */
export const INSPECTOR_AUTHORISATION_GROUNDS = ['imminent-risk-of-serious-injury-or-death'] as const;

export const Basis = z.enum(BASES);
export const Sex = z.enum(SEXES);
export const EthnicCategory = z.enum(ETHNIC_CATEGORIES);
export const AgeBand = z.enum(AGE_BANDS);
export const LocationType = z.enum(LOCATION_TYPES);
export const Urgency = z.enum(URGENCIES);
export const YesNoUnknown = z.enum(YES_NO_UNKNOWN);
export const RcrpGround = z.enum(RCRP_GROUNDS);
export const PlaceOfSafetyPower = z.enum(PLACE_OF_SAFETY_POWERS);
export const PlaceOfSafetyType = z.enum(PLACE_OF_SAFETY_TYPES);
