/**
 * GET /health (no auth): is DynamoDB reachable, how far behind is the stream poller, when did
 * the schedule last run. 503 only when the table cannot be read; stale background work is
 * reported as `degraded`, because requests are still served.
 */
import { publicRoute } from '../../shared/http/stack.js';
import { readSystemStatus, type SystemStatus } from '../../shared/data/system-repository.js';
import type { HealthView } from '../../shared/schemas/health.js';
import { getHealthRoute } from '../routes/get-health.js';

const MAX_POLLER_LAG_MS = 60_000;
const MAX_STATUS_AGE_MS = 2 * 60_000;
const MAX_SCHEDULE_GAP_MS = 2.5 * 60_000;

export const handler = publicRoute(getHealthRoute, async ({ now }) => {
  const started = Date.now();
  let status: SystemStatus | undefined;
  try {
    status = await readSystemStatus();
  } catch {
    status = undefined;
  }
  const latencyMs = status ? Date.now() - started : null;
  const poller = status?.poller ?? null;
  // No report at all means no poller runs here (in AWS the IteratorAge alarm watches streams).
  const pollerOk =
    !poller ||
    (poller.lagMs <= MAX_POLLER_LAG_MS && now.getTime() - Date.parse(poller.reportedAt) <= MAX_STATUS_AGE_MS);
  const lastRunAt = status?.lastScheduleRunAt ?? null;
  const scheduleOk = lastRunAt !== null && now.getTime() - Date.parse(lastRunAt) <= MAX_SCHEDULE_GAP_MS;
  const view: HealthView = {
    status: !status ? 'down' : pollerOk && scheduleOk ? 'ok' : 'degraded',
    checks: {
      dynamodb: { ok: Boolean(status), latencyMs },
      streamPoller: { ok: pollerOk, lagMs: poller?.lagMs ?? null, reportedAt: poller?.reportedAt ?? null },
      schedule: { ok: scheduleOk, lastRunAt },
    },
    time: now.toISOString(),
  };
  return { statusCode: status ? 200 : 503, body: view };
});
