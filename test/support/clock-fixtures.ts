/**
 * Shared fixtures of the statutory-clock unit tests (test/unit/clocks*.test.ts): the journeys'
 * facts (J1, J3) and small helpers. Split out when clocks.test.ts was split by concern.
 */
import { CLOCK_RULES, type Clock, type ClockExtendedFact, type ClockFact } from '../../shared/domain/clocks.js';

export const V = CLOCK_RULES.version;
export const d = (iso: string): Date => new Date(iso);
/** Normalises any ISO instant to the module's output form (`…000Z`). */
export const z = (iso: string): string => new Date(iso).toISOString();
export const clock = (c: Omit<Clock, 'rulesVersion'>): Clock => ({ ...c, rulesVersion: V });

export const GROUND = 'condition-makes-assessment-impracticable' as const;
export const RMP = 'registered-medical-practitioner' as const;
export const extended = (at: string, hours: number, extra: Partial<ClockExtendedFact> = {}): ClockFact => ({
  type: 'clock-extended',
  power: 's136',
  at,
  hours,
  ground: GROUND,
  byRole: RMP,
  ...extra,
});

// J1 on an ordinary BST weekend, in the officer's local offsets: detained 23:05 Sat 16 May 2026,
// arrival at A&E 23:40 (22:40Z); expiry 23:40 Sun (22:40Z); extended at 20:00 Sun to 11:40 Mon.
export const J1 = {
  detained: '2026-05-16T23:05:00+01:00',
  arrival: '2026-05-16T23:40:00+01:00',
  expiry: '2026-05-17T22:40:00.000Z',
  extensionAt: '2026-05-17T20:00:00+01:00',
  extendedUntil: '2026-05-18T10:40:00.000Z',
} as const;
export const j1Facts: ClockFact[] = [
  { type: 'detained', power: 's136', at: J1.detained },
  { type: 'arrived-at-place-of-safety', at: J1.arrival, placeOfSafetyType: 'emergency-department' },
];
export const j1Extended: ClockFact[] = [...j1Facts, extended(J1.extensionAt, 12)];

// J3: s.5(4) recorded 12:00 BST on 10 June 2026 (11:00Z).
export const J3 = { s54: '2026-06-10T12:00:00+01:00', doctor: '2026-06-10T15:00:00+01:00' } as const;
