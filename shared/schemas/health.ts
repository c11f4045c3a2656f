import * as z from 'zod';

export const HealthView = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  checks: z.object({
    dynamodb: z.object({ ok: z.boolean(), latencyMs: z.number().nullable() }),
    streamPoller: z.object({ ok: z.boolean(), lagMs: z.number().nullable(), reportedAt: z.string().nullable() }),
    schedule: z.object({ ok: z.boolean(), lastRunAt: z.string().nullable() }),
  }),
  time: z.string(),
});
export type HealthView = z.infer<typeof HealthView>;
