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
