/** The clock, the sender and the walks the referral-transition tests share. */
import { decide, type Decision } from '../../shared/domain/referral-transition.js';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { REGISTER, SENDERS, received, type IntakeKind, type SenderName } from '../support/lifecycle-fixtures.js';

export const T0 = new Date('2026-12-04T20:00:00Z');
export const minutes = (m: number, from = T0) => new Date(from.getTime() + m * 60_000);
export const iso = (m: number) => minutes(m).toISOString();
export const AUTHORISER = { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' };

export type Step = [SenderName, Record<string, unknown>];

/** Sends one parsed event; the AMHP it names is looked up on the fixture register. */
export function send(r: ReferralRecord, who: SenderName, raw: Record<string, unknown>, now = T0): Decision {
  const event = ReferralEventInput.parse(raw);
  const named = 'amhpId' in event ? event.amhpId : 'toAmhpId' in event ? event.toAmhpId : undefined;
  const target = named ? REGISTER[named] : undefined;
  return decide({ record: r, event, sender: SENDERS[who], ...(target ? { target } : {}), now });
}

/** Applies steps that must all succeed. */
export function walk(r: ReferralRecord, steps: readonly Step[], now = T0): ReferralRecord {
  for (const [who, event] of steps) {
    const d = send(r, who, event, now);
    if (!d.ok) throw new Error(`${who} ${String(event.type)}: ${d.refusal.code} ${d.refusal.detail}`);
    r = d.next;
  }
  return r;
}

export const TRIAGED: Step[] = [
  ['lead', { type: 'start-review' }],
  ['lead', { type: 'accept', reason: 'Assessment needed tonight.' }],
];
export const ALLOCATED_SAM: Step[] = [
  ...TRIAGED,
  ['lead', { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: iso(60) }],
];
export const NO_BED: Step[] = [
  ...ALLOCATED_SAM,
  [
    'sam',
    {
      type: 'record-outcome',
      outcome: 'recommendations-made-no-bed',
      nextSteps: 'Bed search continues.',
      reasonsInWriting: 'No bed tonight.',
    },
  ],
];

export const at = (kind: IntakeKind, steps: Step[] = [], lssa?: string) => walk(received(kind, T0, lssa), steps);

export const refusal = (d: Decision) =>
  d.ok ? undefined : { kind: d.refusal.kind, code: d.refusal.code, pointers: d.refusal.errors?.map((e) => e.pointer) };
