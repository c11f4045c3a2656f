/**
 * FHIR messages as they flow (docs/fhir.md): the referral message a partner POSTs to
 * $process-message and the feedback message a FHIR subscription receives. The envelope only:
 * the R4 base resources are checked by medplum's validator (shared/fhir/validate.ts), the
 * content by the intake mapping and the referral schema.
 */
import * as z from 'zod/mini';
import './zod-locale.js';

const Entry = z.looseObject({ fullUrl: z.optional(z.string()), resource: z.looseObject({ resourceType: z.string() }) });

export const FhirMessageBundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('message'),
  entry: z.array(Entry).check(z.minLength(2)),
});
export type FhirMessageBundle = z.infer<typeof FhirMessageBundle>;

/** The referral message: its first entry is the MessageHeader (bdl-12), the ServiceRequest its focus. */
export const FhirReferralMessage = FhirMessageBundle.check(
  z.refine((b) => b.entry[0]!.resource.resourceType === 'MessageHeader', 'starts with its MessageHeader'),
);

/** Feedback: MessageHeader + the updated Task. */
export const FhirFeedbackMessage = FhirMessageBundle.check(
  z.refine(
    (b) => b.entry[0]!.resource.resourceType === 'MessageHeader' && b.entry[1]!.resource.resourceType === 'Task',
    'MessageHeader then Task',
  ),
);
