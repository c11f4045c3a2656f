/** The EventBridge scheduled event every minute schedule receives (functions/schedules.ts). */
import * as z from 'zod/mini';
import './zod-locale.js';

export const ScheduledEvent = z.strictObject({
  version: z.literal('0'),
  id: z.uuid(),
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  account: z.string().check(z.regex(/^\d{12}$/)),
  /** The scheduled time, to the second (`2026-03-01T10:15:30Z`). */
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string().check(z.regex(/^arn:aws:events:[^:]+:\d{12}:rule\/.+$/))).check(z.minLength(1)),
  detail: z.strictObject({}),
});
export type ScheduledEvent = z.infer<typeof ScheduledEvent>;
