/**
 * The feedback event types as plain constants, apart from their zod schemas in
 * feedback-message.ts: the stream consumer and the delivery schedule need only the list, and
 * importing it from here keeps zod and the message schemas out of their bundles' start-up (#21).
 */

/** The recorded event types (StoredEvent.type) that produce one message each. */
export const FEEDBACK_EVENT_TYPES = [
  'accepted',
  'not-accepted',
  'allocated',
  'outcome-recorded',
  'outcome-amended',
  'withdrawn',
  'clock-breached',
] as const;
