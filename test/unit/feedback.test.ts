/**
 * Feedback, pure parts: the minimised message per event, the backoff schedule, Standard Webhooks
 * signing and verification (checked against an independent ten-line verifier), the SSRF guard,
 * and the local sealing of secrets.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  backoffDelayMs,
  buildFeedbackMessage,
  FEEDBACK_EVENT_TYPES,
  formatSecret,
  messageIdOf,
  nextAttempt,
  RETRY_WINDOW_MS,
  secretKey,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from '../../shared/domain/feedback.js';
import { event, subject } from './feedback.fixture.js';

describe('the minimised message', () => {
  it('carries reference, referrerReference, status, disposition, next steps and the contact route', () => {
    const m = buildFeedbackMessage(
      event('outcome-recorded', {
        outcome: 'detained-s2',
        nextSteps: 'Conveyance to an adult acute bed.',
        reasonsInWriting: 'Because Ruth Marsh objected',
        occurredAt: 'x',
      }),
    )!;
    expect(m).toEqual({
      type: 'referral.outcome-recorded',
      timestamp: '2026-03-14T23:40:00.000Z',
      data: {
        referralId: subject.referralId,
        reference: 'R-7K3M-9Q2P',
        referrerReference: 'NP-2026-0314-0042',
        event: 'outcome-recorded',
        sequence: 7,
        status: 'outcome-recorded',
        disposition: 'detained-s2',
        nextSteps: 'Conveyance to an adult acute bed.',
        contact: {
          amhpServiceId: 'amhp-service',
          quoteReference: 'R-7K3M-9Q2P',
          referral: `/v1/referrals/${subject.referralId}`,
        },
      },
    });
  });

  it.each([
    ['accepted', { reason: 'Needs assessment tonight (knife, parapet)' }, {}],
    [
      'not-accepted',
      { reason: 'private reasoning', disposition: 'signposted', nextSteps: 'Crisis team tomorrow' },
      { disposition: 'signposted', nextSteps: 'Crisis team tomorrow' },
    ],
    [
      'allocated',
      { amhpId: 'amhp-sam', expectedAttendanceAt: '2026-03-15T00:30:00+00:00' },
      { expectedAttendanceAt: '2026-03-15T00:30:00.000Z' },
    ],
    [
      'outcome-amended',
      { outcome: 'informal-admission', reason: 'typo', nextSteps: 'Admitted', reasonsInWriting: 'text' },
      { disposition: 'informal-admission', nextSteps: 'Admitted' },
    ],
    ['withdrawn', { reason: 'Person found safe at home address 1 High St' }, {}],
    [
      'clock-breached',
      { power: 's136', threshold: 'breach', expiresAt: '2026-03-15T22:05:00.000Z', dueAt: 'x' },
      { clock: { power: 's136', expiresAt: '2026-03-15T22:05:00.000Z' } },
    ],
  ])('%s: only its allowed fields', (type, data, extra) => {
    const m = buildFeedbackMessage(event(type, data))!;
    const { referralId, reference, referrerReference, event: e, sequence, status, contact, ...rest } = m.data;
    expect([referralId, reference, referrerReference, e, sequence, status, contact.amhpServiceId]).toEqual([
      subject.referralId,
      subject.reference,
      subject.referrerReference,
      type,
      7,
      subject.status,
      'amhp-service',
    ]);
    expect(rest).toEqual(extra);
    expect(JSON.stringify(m)).not.toMatch(/reason|amhp-sam|knife|High St|typo|private/);
  });

  it('is undefined for events the referrer is not sent', () => {
    for (const type of [
      'received',
      'review-started',
      'information-added',
      'escalated',
      'clock-warning',
      'closed',
      'feedback-sent',
    ]) {
      expect(buildFeedbackMessage(event(type, { note: 'x' })), type).toBeUndefined();
    }
    expect(FEEDBACK_EVENT_TYPES).toHaveLength(7);
  });

  it('names the message by referral and sequence: the same webhook-id on every attempt', () => {
    expect(messageIdOf(subject.referralId, 7)).toBe(`msg_${subject.referralId}_7`);
  });
});

describe('backoff', () => {
  it('doubles from a minute to a two-hour cap, jittered within the upper half of each step', () => {
    for (let n = 1; n <= 12; n++) {
      const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
      expect(backoffDelayMs(n, () => 0)).toBe(step / 2);
      expect(backoffDelayMs(n, () => 0.999999)).toBeLessThanOrEqual(step);
      expect(backoffDelayMs(n, () => 0.999999)).toBeGreaterThan(step * 0.99);
      const r = backoffDelayMs(n, () => 0.5);
      expect(r).toBe(Math.round(step * 0.75));
    }
    expect(backoffDelayMs(1_000, () => 0.5)).toBe(Math.round(BACKOFF_MAX_MS * 0.75));
  });

  it('retries within 24 hours of creation, then parks; a whole window holds a bounded number of attempts', () => {
    const created = Date.parse('2026-03-14T23:40:00Z');
    const windowEndsAt = new Date(created + RETRY_WINDOW_MS);
    let now = new Date(created);
    let failures = 0;
    for (;;) {
      failures++;
      const step = nextAttempt({ failures, now, windowEndsAt, random: () => 0.5 });
      if (step.kind === 'park') break;
      expect(step.at.getTime()).toBeGreaterThan(now.getTime());
      expect(step.at.getTime()).toBeLessThanOrEqual(windowEndsAt.getTime());
      now = step.at;
    }
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(40);
    expect(windowEndsAt.getTime() - now.getTime()).toBeLessThan(BACKOFF_MAX_MS);
    expect(nextAttempt({ failures: 1, now: windowEndsAt, windowEndsAt, random: () => 0 })).toEqual({ kind: 'park' });
  });
});

describe('Standard Webhooks', () => {
  const secret = formatSecret(Buffer.alloc(32, 9));
  const body = JSON.stringify({ type: 'referral.accepted', data: { reference: 'R-7K3M-9Q2P' } });

  /** An independent receiver, as the README shows it: ten lines of Node. */
  const nodeVerify = (headers: Record<string, string>, raw: string, whsec: string) => {
    const key = Buffer.from(whsec.slice('whsec_'.length), 'base64');
    const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${raw}`;
    const expected = createHmac('sha256', key).update(signed).digest('base64');
    return headers['webhook-signature']!.split(' ').some((s) => s === `v1,${expected}`);
  };

  it('formats the secret as whsec_ + base64 of 24-64 bytes and decodes it back to the key', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(secret)).toEqual(Buffer.alloc(32, 9));
    expect(() => formatSecret(randomBytes(16))).toThrow();
    expect(() => secretKey('abc')).toThrow();
  });

  it('signs id.timestamp.body with HMAC-SHA256 of the decoded secret: v1,<base64>', () => {
    const sig = signWebhook({ id: 'msg_1', timestamp: 1_700_000_000, body, secret });
    const expected = createHmac('sha256', Buffer.alloc(32, 9)).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(sig).toBe(`v1,${expected}`);
    const headers = webhookHeaders({ id: 'msg_1', timestamp: 1_700_000_000, body, secret });
    expect(headers).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': sig });
    expect(nodeVerify({ ...headers }, body, secret)).toBe(true);
  });

  it('verifies: good, several signatures, tampered body, wrong secret, stale timestamp, missing header', () => {
    const headers = { ...webhookHeaders({ id: 'msg_2', timestamp: 1_700_000_000, body, secret }) };
    const ok = (h: Record<string, string>, b = body, s = secret, now = 1_700_000_100) =>
      verifyWebhook({ headers: h, body: b, secret: s, nowSeconds: now });
    expect(ok(headers)).toEqual({ ok: true });
    expect(ok({ ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` })).toEqual({ ok: true });
    expect(ok(headers, body.replace('accepted', 'withdrawn'))).toEqual({ ok: false, reason: 'no-matching-signature' });
    expect(ok(headers, body, formatSecret(Buffer.alloc(32, 1)))).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
    expect(ok(headers, body, secret, 1_700_000_000 + 301)).toEqual({ ok: false, reason: 'timestamp-out-of-tolerance' });
    const { 'webhook-id': _drop, ...missing } = headers;
    expect(ok(missing)).toEqual({ ok: false, reason: 'missing-header' });
  });
});
