/**
 * The soak's safety phase (DOMAIN §9), after the traffic: the lead sets Northshire's alert channel
 * to a receiver on 127.0.0.1; the AMHP goes on shift and checks in at a referral of the traffic
 * allocated to them, and does not check out. The safety sweep, driven through the clock seam,
 * must raise one overdue alert whose signed message repeats every 10 minutes until the lead
 * acknowledges it and never after; 12 hours on shift must raise over-hours once. Returns the
 * reconciliation checks (soak.ts prints them with its own).
 */
import { startAlertReceiver, sweepAt, verifies } from '../support/alerts.js';
import type { SoakPhase } from './reconcile.js';

export interface SafetyCheck {
  name: string;
  expected: number | string;
  actual: number | string;
  detail?: string;
}

export interface SafetyPhaseInput {
  readonly baseUrl: string;
  /** The duty lead (a person) and the AMHP allocated during the traffic (a person). */
  readonly lead: string;
  readonly amhp: string;
  readonly amhpId: string;
}

const MIN = 60_000;

export async function safetyPhase(input: SafetyPhaseInput): Promise<SafetyCheck[]> {
  const call = async (token: string, path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${input.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const record = (json: Record<string, unknown>) =>
    call(input.amhp, '/v1/whereabouts/events', { method: 'POST', json });
  const checks: SafetyCheck[] = [];
  const receiver = await startAlertReceiver();
  try {
    const channel = await call(input.lead, '/v1/alert-channel', { method: 'PUT', json: { url: receiver.url } });
    checks.push({ name: 'safety: alert channel set (signed webhook)', expected: 200, actual: channel.status });
    const board = await call(input.lead, '/v1/referrals?view=board&limit=100');
    const referral = (board.body?.items ?? []).find((r: any) => r.allocatedAmhpId === input.amhpId);
    if (!referral)
      return [
        ...checks,
        { name: 'safety: a referral of the traffic allocated to the AMHP', expected: 'one', actual: 'none' },
      ];

    await record({ type: 'checked-out', safe: true });
    await record({ type: 'off-shift' });
    const shift = await record({
      type: 'on-shift',
      plannedEndAt: new Date(Date.now() + 8 * 60 * MIN).toISOString(),
      onCallManager: 'Soak on-call manager',
    });
    const t0 = Date.parse(shift.body?.session?.startedAt ?? new Date().toISOString());
    const checkIn = await record({
      type: 'checked-in',
      referralId: referral.id,
      expectedFinishAt: new Date(t0 + 5 * MIN).toISOString(),
    });
    checks.push({
      name: 'safety: on shift and checked in',
      expected: '200 200',
      actual: `${shift.status} ${checkIn.status}`,
    });

    const alertsOf = async (kind: string) =>
      ((await call(input.lead, '/v1/alerts?limit=100')).body?.items ?? []).filter(
        (a: any) => a.kind === kind && a.amhpId === input.amhpId,
      );
    for (const m of [34, 36, 37, 47, 57]) await sweepAt(new Date(t0 + m * MIN));
    const overdue = (await alertsOf('safety-check-overdue')).filter((a: any) => a.referralId === referral.id);
    checks.push({ name: 'safety: one overdue alert per check-in', expected: 1, actual: overdue.length });
    const alertId = overdue[0]?.alertId as string | undefined;
    const before = alertId ? receiver.about(alertId).length : 0;
    checks.push({
      name: 'safety: overdue message and its 10-minute repeats before acknowledgement',
      expected: 3,
      actual: before,
    });
    const ack = alertId
      ? await call(input.lead, `/v1/alerts/${alertId}/acknowledge`, { method: 'POST' })
      : { status: 0 };
    checks.push({ name: 'safety: the lead acknowledges (alert-acknowledged)', expected: 200, actual: ack.status });
    for (const m of [68, 90, 240]) await sweepAt(new Date(t0 + m * MIN));
    const after = alertId ? receiver.about(alertId) : [];
    checks.push({ name: 'safety: no message after acknowledgement', expected: before, actual: after.length });
    checks.push({
      name: 'safety: every message signed',
      expected: receiver.received.length,
      actual: receiver.received.filter((r) => verifies(r.headers, r.body, channel.body?.secret ?? '')).length,
    });
    checks.push({
      name: 'safety: checked out',
      expected: 200,
      actual: (await record({ type: 'checked-out', safe: true })).status,
    });

    for (const m of [12 * 60 + 1, 12 * 60 + 2]) await sweepAt(new Date(t0 + m * MIN));
    const overHours = await alertsOf('over-hours');
    checks.push({ name: 'safety: over-hours once per session', expected: 1, actual: overHours.length });
    if (overHours[0]) await call(input.lead, `/v1/alerts/${overHours[0].alertId}/acknowledge`, { method: 'POST' });
    await sweepAt(new Date(t0 + 14 * 60 * MIN));
    checks.push({
      name: 'safety: still one over-hours alert later',
      expected: 1,
      actual: (await alertsOf('over-hours')).length,
    });
    checks.push({ name: 'safety: off shift', expected: 200, actual: (await record({ type: 'off-shift' })).status });
    return checks;
  } finally {
    await receiver.close();
  }
}

/** The safety phase as one of the soak's phases (soak.ts: PHASES). */
export const safetyChecks: SoakPhase = {
  name: 'safety',
  run: async (ctx, rec) => {
    const checks = await safetyPhase({
      baseUrl: ctx.stack.url,
      lead: ctx.tokens.lead,
      amhp: ctx.tokens.amhp,
      amhpId: 'amhp-sam',
    });
    for (const c of checks) rec.check(c.name, c.expected, c.actual, c.detail);
  },
};
