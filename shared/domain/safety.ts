/**
 * Duty sessions, whereabouts and alerts (DOMAIN §9). Pure: time is a parameter.
 *
 * Whereabouts (a session, a check-in) are not referral events: they are stored apart from the
 * referral and its stream (the `safety` table) and seen only by the lead, the out-of-hours
 * manager and the AMHP themself. The sweep asks `dueSafetyAlerts` what a session or check-in
 * owes; an alert is raised exactly once (a conditional write), and a safety alert repeats
 * every 10 minutes until a lead acknowledges it.
 */
import type { AlertKind, AlertMessage } from '../../events/schemas/alert-message.js';
// The constants from their zod-free module: the sweep needs no message schemas at start-up (#21).
import { SAFETY_ALERT_KINDS } from '../../events/schemas/alert-kinds.js';

export { ALERT_KINDS, SAFETY_ALERT_KINDS } from '../../events/schemas/alert-kinds.js';
export type { AlertKind, AlertMessage } from '../../events/schemas/alert-message.js';

export const OVER_HOURS_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_GRACE_MINUTES = 30;
export const SAFETY_REPEAT_MS = 10 * 60 * 1000;
/** Closed sessions, check-ins and settled alerts are kept this long, then expire. */
export const SAFETY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface DutySession {
  sessionId: string;
  serviceId: string;
  amhpId: string;
  status: 'on-shift' | 'off-shift';
  startedAt: string;
  plannedEndAt: string;
  /** Who the AMHP escalates to out of hours (free text: a name or a role; never logged). */
  onCallManager: string;
  endedAt?: string;
  /** Set once the over-hours alert was raised: once per session. */
  overHoursAlertId?: string;
}

export interface CheckIn {
  checkInId: string;
  serviceId: string;
  amhpId: string;
  referralId: string;
  reference: string;
  status: 'checked-in' | 'checked-out';
  checkedInAt: string;
  expectedFinishAt: string;
  /** The service's grace when checked in (minutes). */
  graceMinutes: number;
  checkedOutAt?: string;
  /** `checked-out` says the AMHP is safe. */
  safe?: boolean;
  overdueAlertId?: string;
}

export interface Alert {
  alertId: string;
  serviceId: string;
  kind: AlertKind;
  raisedAt: string;
  referralId?: string;
  reference?: string;
  amhpId?: string;
  power?: string;
  expiresAt?: string;
  flag?: string;
  ladderStep?: number | string;
  level?: string;
  /** How many messages were sent for it (repeats included). */
  sent: number;
  /** Safety alerts only, while unacknowledged: when the next repeat falls due. */
  nextRepeatAt?: string;
  acknowledgedAt?: string;
  acknowledgedByActorId?: string;
  acknowledgedByAmhpId?: string;
}

export const isSafetyAlert = (kind: AlertKind): boolean => (SAFETY_ALERT_KINDS as readonly string[]).includes(kind);

/** When a check-in becomes overdue: the expected finish plus the grace. */
export const overdueAt = (c: Pick<CheckIn, 'expectedFinishAt' | 'graceMinutes'>): string =>
  new Date(Date.parse(c.expectedFinishAt) + c.graceMinutes * 60_000).toISOString();

/** When a session passes 12 hours on shift. */
export const overHoursAt = (s: Pick<DutySession, 'startedAt'>): string =>
  new Date(Date.parse(s.startedAt) + OVER_HOURS_MS).toISOString();

export const checkInOverdue = (c: CheckIn, now: Date): boolean =>
  c.status === 'checked-in' && !c.overdueAlertId && now.getTime() >= Date.parse(overdueAt(c));

export const sessionOverHours = (s: DutySession, now: Date): boolean =>
  s.status === 'on-shift' && !s.overHoursAlertId && now.getTime() >= Date.parse(overHoursAt(s));

/** A repeat is due when a safety alert is unacknowledged and its next repeat time has come. */
export const repeatDue = (a: Alert, now: Date): boolean =>
  isSafetyAlert(a.kind) && !a.acknowledgedAt && !!a.nextRepeatAt && now.getTime() >= Date.parse(a.nextRepeatAt);

/** A new alert: a safety alert schedules its first repeat 10 minutes on. */
export function newAlert(input: Omit<Alert, 'sent' | 'raisedAt' | 'nextRepeatAt'>, now: Date): Alert {
  return {
    ...input,
    raisedAt: now.toISOString(),
    sent: 1,
    ...(isSafetyAlert(input.kind) ? { nextRepeatAt: new Date(now.getTime() + SAFETY_REPEAT_MS).toISOString() } : {}),
  };
}

/** The webhook message for the `repeat`th message of an alert (1 = the first). */
export function buildAlertMessage(a: Alert, repeat: number): AlertMessage {
  return {
    type: `alert.${a.kind}`,
    timestamp: a.raisedAt,
    data: {
      alertId: a.alertId,
      kind: a.kind,
      serviceId: a.serviceId,
      raisedAt: a.raisedAt,
      repeat,
      untilAcknowledged: isSafetyAlert(a.kind),
      ...(a.referralId ? { referralId: a.referralId } : {}),
      ...(a.reference ? { reference: a.reference } : {}),
      ...(a.amhpId ? { amhpId: a.amhpId } : {}),
      ...(a.power ? { power: a.power } : {}),
      ...(a.expiresAt ? { expiresAt: a.expiresAt } : {}),
      ...(a.flag ? { flag: a.flag } : {}),
      ...(a.ladderStep !== undefined ? { ladderStep: a.ladderStep } : {}),
      ...(a.level ? { level: a.level } : {}),
      link: `/v1/alerts/${a.alertId}`,
    },
  };
}

/** The webhook-id of an alert's `repeat`th message: a repeat is a new message, never deduplicated away. */
export const alertMessageId = (alertId: string, repeat: number): string => `alert_${alertId}_${repeat}`;

/** Which referral events become alerts, and with what. Flags of DOMAIN §2 that mean an unlawful place. */
export const UNLAWFUL_PLACE_FLAGS = ['unlawful-place-of-safety', 'police-station-without-authorisation'] as const;
/** Only the T−2 h warning reaches the channel; other warnings stay on the board. */
export const ALERTED_WARNING = 'warning-2h';

export interface ReferralAlertSource {
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** The alerts one recorded referral event raises (none for most). */
export function alertsOfReferralEvent(
  e: ReferralAlertSource,
): Pick<Alert, 'kind' | 'power' | 'expiresAt' | 'flag' | 'ladderStep' | 'level'>[] {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: Pick<Alert, 'kind' | 'power' | 'expiresAt' | 'flag' | 'ladderStep' | 'level'>[] = [];
  const clock = () => ({
    ...(str(e.data.power) ? { power: str(e.data.power)! } : {}),
    ...(str(e.data.expiresAt) ? { expiresAt: str(e.data.expiresAt)! } : {}),
  });
  if (e.type === 'clock-warning' && e.data.threshold === ALERTED_WARNING)
    out.push({ kind: 'clock-warning', ...clock() });
  if (e.type === 'clock-breached') out.push({ kind: 'clock-breached', ...clock() });
  if (e.type === 'escalated' && e.data.reason === 'no-bed') {
    const step = e.data.ladderStep;
    out.push({
      kind: 'escalated',
      ...(typeof step === 'number' || typeof step === 'string' ? { ladderStep: step } : {}),
      ...(str(e.data.level) ? { level: str(e.data.level)! } : {}),
    });
  }
  const raised = Array.isArray(e.data.flagsRaised) ? (e.data.flagsRaised as unknown[]) : [];
  for (const flag of UNLAWFUL_PLACE_FLAGS) if (raised.includes(flag)) out.push({ kind: 'unlawful-place', flag });
  return out;
}
