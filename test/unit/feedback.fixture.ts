/** The referral and event the feedback tests build messages from. */
import type { FeedbackSource } from '../../shared/domain/feedback.js';

export const subject = {
  referralId: '01J9Z3V6M2Q8X4R7T1B5N0C2D3',
  reference: 'R-7K3M-9Q2P',
  referrerReference: 'NP-2026-0314-0042',
  status: 'outcome-recorded',
  referrerOrganisationId: 'police-a',
  serviceId: 'amhp-service',
};
export const event = (type: string, data: Record<string, unknown>, seq = 7): FeedbackSource => ({
  seq,
  type,
  at: '2026-03-14T23:40:00.000Z',
  data,
  subject,
});
