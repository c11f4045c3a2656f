/**
 * The pure rules of assessment logistics (DOMAIN §9, §7; issue #20), as tables of cases:
 * pairing requests and answers, time running forwards, the board's waits, the bed-finding
 * ladder, per-service calendars and the logistics figures under disclosure control.
 */
import { describe, expect, it } from 'vitest';
import {
  answerOf,
  applyLogistics,
  delaysOf,
  requestCauseOf,
  waitingFor,
  type LogisticsRequest,
} from '../../shared/domain/logistics.js';
import {
  DEFAULT_BED_LADDER,
  dueSteps,
  endLadders,
  escalationData,
  ladderConfigProblem,
  ladderOf,
  nextLadderDeadline,
  startLadder,
} from '../../shared/domain/bed-ladder.js';
import { TRANSITIONS, WHO_MAY_SEND } from '../../shared/domain/lifecycle.js';
import {
  calendarOf,
  DEFAULT_CALENDAR,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isOutOfHours,
} from '../../shared/deidentify/service-calendar.js';
import { logisticsContributions, logisticsFactOf } from '../../shared/deidentify/logistics-facts.js';
import {
  delayRows,
  monthsForRepeats,
  placementRows,
  repeatRows,
  s136Rows,
} from '../../shared/deidentify/logistics-extracts.js';
import type { DemandFact } from '../../shared/deidentify/facts.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { BedRequestResponseInput } from '../../shared/schemas/capacity.js';

const T = (m: number) => new Date(Date.UTC(2026, 10, 16, 10, 0) + m * 60_000).toISOString();
type E = ReferralEventInput;

describe('requests and what answers them', () => {
  it.each<[E, string | undefined]>([
    [{ type: 's12-doctor-requested' }, 's12-doctor'],
    [{ type: 's12-doctor-requested', doctor: 'first' }, 's12-doctor'],
    [{ type: 's12-doctor-requested', doctor: 'second', s12Approved: true, previousKnowledge: false }, 'second-doctor'],
    [{ type: 'police-requested', ground: 'breach-of-the-peace' }, 'police'],
    [{ type: 'conveyance-requested', mode: 'ambulance' }, 'conveyance'],
    [{ type: 'interpreter-requested', language: 'Polish' }, 'interpreter'],
    [{ type: 'bed-requested', bedType: 'picu', sex: 'female' }, 'bed'],
    [{ type: 'police-arrived' }, undefined],
  ])('%j opens %s', (e, cause) => {
    expect(requestCauseOf(e)).toBe(cause);
  });

  it.each<[E, string[] | undefined, string | undefined]>([
    [{ type: 's12-doctor-arrived' }, ['s12-doctor', 'second-doctor'], 'arrived'],
    [{ type: 's12-doctor-arrived', doctor: 'second' }, ['second-doctor'], 'arrived'],
    [{ type: 'police-arrived' }, ['police'], 'arrived'],
    [{ type: 'police-declined', reason: 'no-resources' }, ['police'], 'declined'],
    [{ type: 'conveyance-arrived' }, ['conveyance'], 'arrived'],
    [{ type: 'interpreter-arrived' }, ['interpreter'], 'arrived'],
    [{ type: 'bed-identified', outOfArea: false }, ['bed'], 'identified'],
    [{ type: 'bed-identified', outOfArea: true, icb: 'QHM' }, ['bed'], 'out-of-area'],
    [{ type: 'information-added', note: 'x' }, undefined, undefined],
  ])('%j answers %j as %s', (e, causes, answer) => {
    const got = answerOf(e);
    expect(got?.causes).toEqual(causes);
    expect(got?.answer).toBe(answer);
  });

  /** Sends events in order at the given minutes; returns the waits or the refusal. */
  const run = (events: [E, number][]) => {
    let list: LogisticsRequest[] = [];
    for (const [i, [e, m]] of events.entries()) {
      const out = applyLogistics(list, e, T(m), i + 2);
      if (!out.ok) return out;
      list = out.list;
    }
    return { ok: true as const, list };
  };

  it.each<[string, [E, number][], string[], [string, number][]]>([
    [
      'a pair closes',
      [
        [{ type: 'police-requested', ground: 'crime' }, 0],
        [{ type: 'police-arrived' }, 40],
      ],
      [],
      [['police', 40]],
    ],
    ['an open request waits', [[{ type: 'interpreter-requested', language: 'Urdu' }, 0]], ['interpreter'], []],
    [
      'an arrival without doctor answers the longest-waiting doctor',
      [
        [{ type: 's12-doctor-requested', doctor: 'second' }, 0],
        [{ type: 's12-doctor-requested' }, 10],
        [{ type: 's12-doctor-arrived' }, 50],
      ],
      ['s12-doctor'],
      [['second-doctor', 50]],
    ],
    [
      'two requests of a cause pair oldest first',
      [
        [{ type: 'conveyance-requested', mode: 'police' }, 0],
        [{ type: 'conveyance-requested', mode: 'ambulance' }, 30],
        [{ type: 'conveyance-arrived' }, 60],
      ],
      ['conveyance'],
      [['conveyance', 60]],
    ],
    [
      'a police refusal answers but is no delay',
      [
        [{ type: 'police-requested', ground: 'crime' }, 0],
        [{ type: 'police-declined', reason: 'other', note: 'x' }, 20],
      ],
      [],
      [],
    ],
    ['an arrival with nothing asked pairs with nothing', [[{ type: 'conveyance-arrived' }, 0]], [], []],
    [
      'within the tolerance an arrival may precede its request: no wait',
      [
        [{ type: 'interpreter-requested', language: 'Welsh' }, 0],
        [{ type: 'interpreter-arrived' }, -4],
      ],
      [],
      [['interpreter', 0]],
    ],
    [
      'a bed found before it was asked for is recorded, pairs with nothing',
      [
        [{ type: 'bed-requested', bedType: 'picu', sex: 'male' }, 60],
        [{ type: 'bed-identified', outOfArea: false }, 0],
      ],
      ['bed'],
      [],
    ],
  ])('%s', (_name, events, open, delays) => {
    const out = run(events);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(waitingFor(out.list).map((w) => w.cause)).toEqual(open);
    expect(delaysOf(out.list).map((d) => [d.cause, d.minutes])).toEqual(delays);
  });

  it.each<[E, E]>([
    [{ type: 'police-requested', ground: 'crime' }, { type: 'police-arrived' }],
    [
      { type: 'police-requested', ground: 'crime' },
      { type: 'police-declined', reason: 'no-resources' },
    ],
    [{ type: 'interpreter-requested', language: 'Urdu' }, { type: 'interpreter-arrived' }],
    [{ type: 's12-doctor-requested' }, { type: 's12-doctor-arrived' }],
    [{ type: 'conveyance-requested', mode: 'other' }, { type: 'conveyance-arrived' }],
  ])('time runs forwards: %j then %j more than 5 minutes earlier is refused, naming occurredAt', (request, answer) => {
    expect(
      run([
        [request, 0],
        [answer, -6],
      ]),
    ).toEqual({ ok: false, pointer: '/occurredAt', message: expect.stringMatching(/precedes/) });
  });

  it('who may send each: the lead or the allocated AMHP; when: after acceptance (and on the no-bed pathway)', () => {
    for (const type of [
      'police-requested',
      'police-arrived',
      'police-declined',
      'interpreter-requested',
      'interpreter-arrived',
    ] as const) {
      expect(WHO_MAY_SEND[type]).toEqual(['lead', 'allocated']);
      expect(TRANSITIONS[type].from).toEqual(['accepted', 'allocated', 'assessment-in-progress']);
    }
  });

  it.each<[unknown, boolean]>([
    [{ type: 'police-requested', ground: 'threat-to-life' }, true],
    [{ type: 'police-requested' }, false],
    [{ type: 'police-requested', ground: 'because' }, false],
    [{ type: 'police-declined', reason: 'other' }, false],
    [{ type: 'police-declined', reason: 'other', note: 'No unit free' }, true],
    [{ type: 'interpreter-requested' }, false],
    [{ type: 'conveyance-requested', mode: 'helicopter' }, false],
    [{ type: 's12-doctor-requested', doctor: 'third' }, false],
    [{ type: 'bed-identified', outOfArea: true, icb: 'qhm' }, false],
  ])('schema: %j valid %s', (body, valid) => {
    expect(ReferralEventInput.safeParse(body).success).toBe(valid);
  });

  it.each<[unknown, boolean]>([
    [{ response: 'out-of-area', icb: 'QHM' }, true],
    [{ response: 'out-of-area' }, false],
    [{ response: 'none', icb: 'QHM' }, false],
    [{ response: 'identified' }, false],
  ])('bed answer %j valid %s', (body, valid) => {
    expect(BedRequestResponseInput.safeParse(body).success).toBe(valid);
  });
});

describe('the bed-finding ladder', () => {
  const ladder = startLadder(DEFAULT_BED_LADDER, 'BR1', T(0), 'adult-acute');

  it('has the default steps with targets from the request', () => {
    expect(ladder.steps).toEqual([
      { step: 1, level: 'provider-bed-manager', targetAt: T(60) },
      { step: 2, level: 'provider-on-call-manager', targetAt: T(120) },
      { step: 3, level: 'icb-s140-contact', targetAt: T(240) },
    ]);
  });

  it.each<[number, number[], number[]]>([
    [59, [], []],
    [60, [], [1]],
    [121, [], [1, 2]],
    [121, [1], [2]],
    [500, [1, 2, 3], []],
    [500, [], [1, 2, 3]],
  ])('at +%i min with %j escalated, %j are due', (minutes, escalated, due) => {
    expect(dueSteps({ ...ladder, escalated }, new Date(T(minutes))).map((s) => s.step)).toEqual(due);
  });

  it.each<[number[], string | undefined, string | undefined]>([
    [[], undefined, T(60)],
    [[1], undefined, T(120)],
    [[1, 2, 3], undefined, undefined],
    [[], T(10), undefined],
  ])('with %j escalated and ended %s, the next deadline is %s', (escalated, endedAt, next) => {
    expect(nextLadderDeadline([{ ...ladder, escalated, ...(endedAt ? { endedAt } : {}) }])).toBe(next);
  });

  it('ends only the answered request when named, every running one otherwise', () => {
    const other = startLadder(DEFAULT_BED_LADDER, 'BR2', T(5), 'picu');
    expect(endLadders([ladder, other], T(30), 'BR2')!.map((l) => l.endedAt)).toEqual([undefined, T(30)]);
    expect(endLadders([ladder, other], T(30))!.map((l) => l.endedAt)).toEqual([T(30), T(30)]);
    expect(dueSteps(endLadders([ladder], T(30))![0]!, new Date(T(999)))).toEqual([]);
  });

  it('escalates to the next level, and from the last to the duty lead', () => {
    expect(escalationData(ladder, ladder.steps[0]!)).toMatchObject({
      reason: 'no-bed',
      ladderStep: 1,
      level: 'provider-bed-manager',
      escalatedTo: 'provider-on-call-manager',
      nextTargetAt: T(120),
    });
    expect(escalationData(ladder, ladder.steps[2]!)).toMatchObject({
      ladderStep: 3,
      level: 'icb-s140-contact',
      escalatedTo: 'amhp-lead',
    });
    expect(escalationData(ladder, ladder.steps[2]!)).not.toHaveProperty('nextTargetAt');
  });

  it.each<[unknown[], boolean]>([
    [[{ level: 'bed-manager', targetMinutes: 30 }], true],
    [
      [
        { level: 'a', targetMinutes: 30 },
        { level: 'b', targetMinutes: 30 },
      ],
      false,
    ],
    [[{ level: 'a', targetMinutes: 0 }], false],
    [[{ level: 'Bed Manager', targetMinutes: 30 }], false],
    [[], false],
  ])('a service ladder %j is usable: %s (else the default runs)', (config, ok) => {
    const steps = config as { level: string; targetMinutes: number }[];
    expect(ladderConfigProblem(steps) === undefined).toBe(ok);
    expect(ladderOf(steps)).toBe(ok ? steps : DEFAULT_BED_LADDER);
  });
});

describe("each service's calendar", () => {
  const extended = calendarOf('amhp-service-south', {
    days: [1, 2, 3, 4, 5],
    start: '08:00',
    end: '18:00',
    bankHolidays: 'england-and-wales',
  });
  it.each<[string, boolean, boolean]>([
    ['2026-11-16T08:30:00Z', true, false], // Monday 08:30 GMT
    ['2026-11-16T17:30:00Z', true, false],
    ['2026-11-16T18:00:00Z', true, true],
    ['2026-11-16T12:00:00Z', false, false],
    ['2026-12-28T12:00:00Z', true, true], // the Boxing Day substitute
    ['2026-07-06T07:30:00Z', true, false], // 08:30 BST
    ['2028-01-03T12:00:00Z', true, true], // New Year substitute, from the data file
  ])('%s: out of hours at 09:00–17:00 %s, at 08:00–18:00 %s', (iso, def, ext) => {
    expect(isOutOfHours(new Date(iso), calendarOf('amhp-service', undefined))).toBe(def);
    expect(isOutOfHours(new Date(iso), extended)).toBe(ext);
  });
  it('without a setting the default; bank holidays from the data file, sorted, to 2030', () => {
    expect(calendarOf('x', undefined)).toBe(DEFAULT_CALENDAR);
    expect([...ENGLAND_AND_WALES_BANK_HOLIDAYS].sort()).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((d) => d.startsWith('2030-'))).toHaveLength(8);
    expect(calendarOf('x', { days: [1], start: '08:00', end: '18:00', bankHolidays: 'none' }).bankHolidays).toEqual([]);
  });
});

describe('logistics figures', () => {
  const waits: LogisticsRequest[] = [
    { cause: 'police', requestedAt: T(0), seq: 2, answeredAt: T(35), answer: 'arrived' },
    { cause: 'bed', requestedAt: T(0), seq: 3, answeredAt: T(300), answer: 'out-of-area' },
    { cause: 'interpreter', requestedAt: T(0), seq: 4 },
  ];
  const clocks = [{ power: 's136', startsAt: T(0), endedAt: T(600) }];

  it('a fact holds delays, the s.136 duration and out-of-area placements, and their counters', () => {
    const fact = logisticsFactOf({ logistics: waits, clocks });
    expect(fact).toEqual({
      delays: [
        { cause: 'police', minutes: 35 },
        { cause: 'bed', minutes: 300 },
      ],
      s136Minutes: 600,
      outOfArea: 1,
    });
    expect(logisticsContributions(fact)).toEqual(['d|police|5', 'd|bed|11', 'x|s136|13', 'o|out-of-area']);
    expect(logisticsFactOf({ clocks: [{ power: 's136', startsAt: T(0) }] })).toEqual({ delays: [], outOfArea: 0 });
  });

  const day = (d: string, counters: Record<string, number>) => ({ day: d, lssa: 'E06000055', counters });

  it.each<[number, number | '*', number | '*' | null]>([
    [0, 0, null],
    [3, '*', '*'],
    [12, 10, '*'],
    [20, 20, 35],
  ])('delays by cause: %i police records publish %s records and median %s', (n, records, median) => {
    const rows = delayRows([day('2026-11-16', n ? { 'd|police|6': n } : { 'n|x': 1 })], 'day');
    expect(rows.map((r) => r.cause)).toEqual([
      's12-doctor',
      'second-doctor',
      'police',
      'conveyance',
      'interpreter',
      'bed',
    ]);
    const police = rows.find((r) => r.cause === 'police')!;
    expect(police.records).toBe(records);
    if (typeof median === 'number') expect(police.medianMinutes).toBeGreaterThanOrEqual(30);
    else expect(police.medianMinutes).toBe(median);
  });

  it('s.136 durations with their breaches; placements and unlawful-place flags, controlled', () => {
    const days = [
      day('2026-11-16', { 'x|s136|13': 25, 'b|s136': 9, 'o|out-of-area': 2, 'f|unlawful-place-of-safety': 8 }),
    ];
    expect(s136Rows(days, 'day')).toEqual([
      {
        period: '2026-11-16',
        records: 25,
        medianMinutes: expect.any(Number),
        p90Minutes: expect.any(Number),
        breaches: 10,
      },
    ]);
    expect(placementRows(days, 'day')).toEqual([
      { period: '2026-11-16', measure: 'out-of-area-placements', count: '*' },
      { period: '2026-11-16', measure: 'police-station-without-authorisation', count: 0 },
      { period: '2026-11-16', measure: 's136-in-dwelling', count: 0 },
      { period: '2026-11-16', measure: 'unlawful-place-of-safety', count: 10 },
    ]);
  });

  const fact = (personKey: string | undefined, receivedDay: string, factKey: string) =>
    ({ personKey, receivedDay, factKey }) as DemandFact;

  it(
    'repeats within 30/90 days count in the later referral’s ' + 'period, earlier months included, closed ones too',
    () => {
      const facts: DemandFact[] = [];
      // 10 people referred on 1 Aug and again on 20 Nov (>90 days): no repeat; 10 on 1 Nov and 20 Nov (19 days): both.
      for (let i = 0; i < 10; i++)
        facts.push(fact(`a${i}`, '2026-08-01', `fa${i}`), fact(`a${i}`, '2026-11-20', `ga${i}`));
      for (let i = 0; i < 10; i++)
        facts.push(fact(`b${i}`, '2026-11-01', `fb${i}`), fact(`b${i}`, '2026-11-20', `gb${i}`));
      // 8 referred 1 Sep and 20 Nov (80 days): within 90 only. Unidentified people never repeat.
      for (let i = 0; i < 8; i++)
        facts.push(
          fact(`c${i}`, '2026-09-01', `fc${i}`),
          fact(`c${i}`, '2026-11-20', `gc${i}`),
          fact(undefined, '2026-11-20', `u${i}`),
        );
      expect(repeatRows(facts, 'month', '2026-11-01', '2026-11-30')).toEqual([
        { period: '2026-11-01', referrals: 40, within30Days: 10, within90Days: 20 },
      ]);
      expect(monthsForRepeats('2026-11-01', '2026-11-30')).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    },
  );
});
