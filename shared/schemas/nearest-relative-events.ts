/**
 * Events of the nearest relative and the letters (DOMAIN §3.2) [law]: split out of
 * referral-events.ts, which re-exports them and puts them in the one union.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { textBlock, textLine } from './referral.js';
import { fact } from './event-member.js';
import { LETTER_METHODS, NOT_PRACTICABLE_REASONS } from '../domain/vocabulary.js';

const NearestRelativePerson = {
  name: z.optional(textLine(120)),
  relationship: z.optional(textLine(60)),
  contact: z.optional(textLine(200)),
};
/** s.26: who the nearest relative is, or that there is none, or that it is not known. */
export const NearestRelativeIdentified = fact('nearest-relative-identified', {
  identity: z.enum(['person', 'none', 'unknown']),
  ...NearestRelativePerson,
}).check(
  z.superRefine((v, ctx) => {
    if (v.identity === 'person' && v.name === undefined)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'required when the nearest relative is a person' });
  }),
);
/** s.11(3): informed of an s.2 or s.4 application. */
export const NearestRelativeInformed = fact('nearest-relative-informed', {
  how: z.enum(['in-person', 'telephone', 'letter', 'email']),
});
/** s.11(4): consulted before an s.3 or guardianship application; an objection bars it. */
export const NearestRelativeConsulted = fact('nearest-relative-consulted', {
  objects: z.boolean(),
  how: z.optional(z.enum(['in-person', 'telephone', 'video'])),
});
export const NearestRelativeNotPracticable = fact('nearest-relative-not-practicable', {
  reason: z.enum(NOT_PRACTICABLE_REASONS),
  note: z.optional(textBlock(1000)),
});
/** s.29: the county court displaced the nearest relative; the acting one is then the nearest relative. */
export const NearestRelativeDisplaced = fact('nearest-relative-displaced', {
  acting: z.strictObject({
    name: textLine(120),
    relationship: z.optional(textLine(60)),
    contact: z.optional(textLine(200)),
  }),
});
/** s.29(3)(c)/(d): a displacement application pending; it extends s.2 (s.29(4)). */
export const DisplacementApplied = fact('displacement-applied', {});
/** s.13(4): the written reasons sent to the nearest relative. */
export const ReasonsSent = fact('reasons-sent', { method: z.enum(LETTER_METHODS) });
/** The GP told of the outcome and plan (the seeds ask the service to). */
export const GpLetterSent = fact('gp-letter-sent', { method: z.enum(LETTER_METHODS) });
