/** The EventBridge scheduled event every minute schedule receives (functions/schedules.ts). */
import * as z from 'zod';

export const ScheduledEvent = z
  .object({
    version: z.literal('0'),
    id: z.uuid(),
    'detail-type': z.literal('Scheduled Event'),
    source: z.literal('aws.events'),
    account: z.string().regex(/^\d{12}$/),
    /** The scheduled time, to the second (`2026-03-01T10:15:30Z`). */
    time: z.iso.datetime(),
    region: z.string(),
    resources: z.array(z.string().regex(/^arn:aws:events:[^:]+:\d{12}:rule\/.+$/)).min(1),
    detail: z.object({}).strict(),
  })
  .strict();
export type ScheduledEvent = z.infer<typeof ScheduledEvent>;
