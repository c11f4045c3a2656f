/**
 * The safety rules of DOMAIN §9, pure: when a check-in is overdue, a session over hours, a repeat
 * due; which referral events alert.
 */
import { describe, expect, it } from 'vitest';
import {
  alertsOfReferralEvent,
  buildAlertMessage,
  checkInOverdue,
  isSafetyAlert,
  newAlert,
  overdueAt,
  repeatDue,
  sessionOverHours,
  type CheckIn,
  type DutySession,
} from '../../shared/domain/safety.js';
import { AlertMessage } from '../../events/schemas/alert-message.js';
import { TABLES } from '../../shared/data/tables.js';
import { CONSUMERS } from '../../functions/consumers.js';

const at = (iso: string) => new Date(iso);
const checkIn: CheckIn = {
  checkInId: 'C1',
  serviceId: 's',
  amhpId: 'amhp-1',
  referralId: 'R1',
  reference: 'R-AAAA-BBBB',
  status: 'checked-in',
  checkedInAt: '2026-11-15T01:00:00.000Z',
  expectedFinishAt: '2026-11-15T02:00:00.000Z',
  graceMinutes: 30,
};
const session: DutySession = {
  sessionId: 'S1',
  serviceId: 's',
  amhpId: 'amhp-1',
  status: 'on-shift',
  startedAt: '2026-11-15T00:00:00.000Z',
  plannedEndAt: '2026-11-15T08:00:00.000Z',
  onCallManager: 'Jo',
};

describe('safety rules', () => {
  it('a check-in is overdue at the expected finish plus the grace, only while checked in and not yet alerted', () => {
    expect(overdueAt(checkIn)).toBe('2026-11-15T02:30:00.000Z');
    expect(checkInOverdue(checkIn, at('2026-11-15T02:29:59Z'))).toBe(false);
    expect(checkInOverdue(checkIn, at('2026-11-15T02:30:00Z'))).toBe(true);
    expect(checkInOverdue({ ...checkIn, status: 'checked-out' }, at('2026-11-15T05:00:00Z'))).toBe(false);
    expect(checkInOverdue({ ...checkIn, overdueAlertId: 'A' }, at('2026-11-15T05:00:00Z'))).toBe(false);
  });

  it('a session is over hours after 12 hours, once', () => {
    expect(sessionOverHours(session, at('2026-11-15T11:59:59Z'))).toBe(false);
    expect(sessionOverHours(session, at('2026-11-15T12:00:00Z'))).toBe(true);
    expect(sessionOverHours({ ...session, overHoursAlertId: 'A' }, at('2026-11-15T13:00:00Z'))).toBe(false);
    expect(sessionOverHours({ ...session, status: 'off-shift' }, at('2026-11-15T13:00:00Z'))).toBe(false);
  });

  it('safety alerts repeat 10 minutes apart until acknowledged; other alerts never repeat', () => {
    const now = at('2026-11-15T02:30:00Z');
    const safety = newAlert({ alertId: 'A1', serviceId: 's', kind: 'safety-check-overdue', amhpId: 'amhp-1' }, now);
    expect(safety.nextRepeatAt).toBe('2026-11-15T02:40:00.000Z');
    expect(repeatDue(safety, at('2026-11-15T02:39:59Z'))).toBe(false);
    expect(repeatDue(safety, at('2026-11-15T02:40:00Z'))).toBe(true);
    expect(repeatDue({ ...safety, acknowledgedAt: '2026-11-15T02:35:00Z' }, at('2026-11-15T03:00:00Z'))).toBe(false);
    const warning = newAlert({ alertId: 'A2', serviceId: 's', kind: 'clock-warning' }, now);
    expect(warning.nextRepeatAt).toBeUndefined();
    expect(repeatDue(warning, at('2026-11-16T00:00:00Z'))).toBe(false);
    expect(isSafetyAlert('over-hours')).toBe(true);
    expect(AlertMessage.parse(buildAlertMessage(safety, 3)).data.repeat).toBe(3);
  });

  it('alerts of referral events: the 2 h warning, breaches, unlawful places, no-bed escalations; nothing else', () => {
    expect(
      alertsOfReferralEvent({
        seq: 1,
        type: 'clock-warning',
        data: { threshold: 'warning-2h', power: 's136', expiresAt: '2026-11-15T04:00:00Z' },
      }),
    ).toEqual([{ kind: 'clock-warning', power: 's136', expiresAt: '2026-11-15T04:00:00Z' }]);
    expect(
      alertsOfReferralEvent({ seq: 1, type: 'clock-warning', data: { threshold: 'warning-6h', power: 's136' } }),
    ).toEqual([]);
    expect(
      alertsOfReferralEvent({ seq: 1, type: 'clock-breached', data: { threshold: 'breach', power: 's2' } }),
    ).toEqual([{ kind: 'clock-breached', power: 's2' }]);
    expect(
      alertsOfReferralEvent({
        seq: 1,
        type: 'escalated',
        data: { reason: 'no-bed', ladderStep: 2, level: 'provider-on-call' },
      }),
    ).toEqual([{ kind: 'escalated', ladderStep: 2, level: 'provider-on-call' }]);
    expect(alertsOfReferralEvent({ seq: 1, type: 'escalated', data: { reason: 'other' } })).toEqual([]);
    expect(
      alertsOfReferralEvent({
        seq: 1,
        type: 'location-changed',
        data: { flagsRaised: ['unlawful-place-of-safety', 's136-in-dwelling'] },
      }),
    ).toEqual([{ kind: 'unlawful-place', flag: 'unlawful-place-of-safety' }]);
    expect(alertsOfReferralEvent({ seq: 1, type: 'accepted', data: {} })).toEqual([]);
  });

  it('whereabouts live in a table with no stream and no Kinesis destination, which no consumer reads', () => {
    expect('stream' in TABLES.safety).toBe(false);
    expect('kinesisDestination' in TABLES.safety).toBe(false);
    expect(CONSUMERS.map((c) => c.table as string)).not.toContain('safety');
  });
});
