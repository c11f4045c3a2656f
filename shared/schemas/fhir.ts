/**
 * Request shapes of the FHIR R4 facade (/fhir/R4). The message body is checked here only as
 * far as routing needs (a Bundle); medplum's validator checks it against the R4 definitions and
 * the intake mapping and referral schema check the rest (functions/fhir/process-message.ts).
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Cursor } from './common.js';
import { ambulanceS136Message } from '../domain/fhir/examples.js';

export const FhirMessageBundle = z.looseObject({ resourceType: z.literal('Bundle'), type: z.string() }).check(
  z.meta({
    description:
      'A FHIR R4 Bundle of type message (MessageHeader, ServiceRequest, Patient, Encounter, Flags): see docs/fhir.md',
    example: ambulanceS136Message(),
  }),
);

const Ulid = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a logical id'));
export const FhirIdParams = z.object({ id: Ulid });

/** `_lastUpdated=gt<instant>` (or `ge`): the referrer's own referrals changed since then. */
export const TaskSearchQuery = z.strictObject({
  _lastUpdated: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^(gt|ge)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/,
          'gt or ge followed by an instant with a UTC offset',
        ),
      ),
  ),
  _count: z._default(z.coerce.number().check(z.int()).check(z.gte(1)).check(z.lte(100)), 50),
  /** The next page (from the Bundle's `next` link). */
  _cursor: z.optional(Cursor),
});
