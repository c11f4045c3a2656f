import * as z from 'zod/mini';
import './zod-locale.js';

export const HealthView = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  checks: z.object({
    dynamodb: z.object({ ok: z.boolean(), latencyMs: z.nullable(z.number()) }),
    streamPoller: z.object({ ok: z.boolean(), lagMs: z.nullable(z.number()), reportedAt: z.nullable(z.string()) }),
    schedule: z.object({ ok: z.boolean(), lastRunAt: z.nullable(z.string()) }),
  }),
  time: z.string(),
});
export type HealthView = z.infer<typeof HealthView>;
