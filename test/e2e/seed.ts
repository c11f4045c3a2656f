/**
 * What the console's e2e tests see, seeded through the API only:
 *
 * - history: referrals received in the previous London calendar month (the Demand view's
 *   default) at known day-of-week × hour cells, with varied ethnicity and outcomes, each taken
 *   through review, acceptance and allocation (8 minutes after receipt) and assessment, outcome
 *   and closure (45 to 130 minutes after) with the injected clock, so they are off the live
 *   board and in the analytics extracts;
 * - live: one s.136 referral from police-a received now (detained 35 minutes ago, at the place
 *   of safety 5 minutes ago), open on the duty lead's board with its clock running;
 * - beds: p-ash-picu last updated 5 hours ago (stale), p-oak-ward and p-elm-ward 10 minutes ago,
 *   and the s.136 suite's status.
 *
 * Expected published figures come from the disclosure rule itself (`controlCount`), never from
 * hand-worked numbers. `npm run demo` (scripts/demo.ts) seeds the same picture on a live local
 * stack.
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../../shared/time.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { addDays, londonDate, startOfLondonDay } from '../../shared/domain/london-time.js';
import { ethnicityGroupOf, isoWeekday, londonDayOfWeek, londonHour } from '../../shared/deidentify/generalise.js';
import { controlCount, type Controlled } from '../../shared/deidentify/disclosure.js';
import { PEOPLE, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const LSSA = 'E06000055';
export const REFERRER_CLIENT = 'police-a-triage';
/** Requests in flight at once while seeding (one cell's referrals at most). */
const PARALLEL = 13;

export interface SeededPerson {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  /** As sent: `943 476 5919` style. */
  nhsNumber: string;
  ethnicity: string;
  sex: 'male' | 'female';
}

/** One heat-map cell of the seeded distribution: ISO day (Monday 1), London hour, how many. */
export interface HeatCell {
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly count: number;
  /** Assessment starts this long after receipt (varied so the timings have a spread). */
  readonly assessAfterMinutes: number;
}

/** 13 on a Tuesday at 02:xx, 9 on a Saturday at 14:xx, 3 on a Wednesday at 09:xx. */
export const HEAT_CELLS: readonly HeatCell[] = [
  { day: 2, hour: 2, minute: 10, count: 13, assessAfterMinutes: 45 },
  { day: 6, hour: 14, minute: 25, count: 9, assessAfterMinutes: 80 },
  { day: 3, hour: 9, minute: 40, count: 3, assessAfterMinutes: 130 },
];

/**
 * Ethnicity (NHS ethnic category letters, several per group) and outcome per seeded referral:
 * white × detained-s2 9, black × informal-admission 8, asian × home treatment 5, not stated ×
 * no further action 3 — so the ethnicity table has shown and suppressed cells.
 */
const PLAN: readonly { ethnicity: string; outcome: string }[] = [
  ...['A', 'B', 'C', 'A', 'B', 'C', 'A', 'A', 'C'].map((ethnicity) => ({ ethnicity, outcome: 'detained-s2' })),
  ...['M', 'N', 'P', 'M', 'N', 'M', 'P', 'M'].map((ethnicity) => ({ ethnicity, outcome: 'informal-admission' })),
  ...['H', 'J', 'K', 'H', 'L'].map((ethnicity) => ({ ethnicity, outcome: 'home-treatment-crisis-team' })),
  ...['Z', 'Z', 'Z'].map((ethnicity) => ({ ethnicity, outcome: 'no-further-action' })),
];

export interface HistorySeed {
  /** The previous London calendar month, `YYYY-MM`. */
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly cells: readonly (HeatCell & { date: string; at: string })[];
  /** Published figure of every day × hour cell, keyed `${day}|${hour}` (Monday 1, hours 0–23). */
  readonly heat: ReadonlyMap<string, Controlled>;
  /** Published figure per ethnicity group × outcome that has referrals. */
  readonly ethnicity: readonly { group: string; outcome: string; count: number; figure: Controlled }[];
  readonly people: readonly SeededPerson[];
  readonly referralIds: readonly string[];
}

export interface LiveSeed {
  readonly id: string;
  readonly reference: string;
  readonly person: SeededPerson;
  readonly arrivedAt: string;
}

// ---------------------------------------------------------------------------------------------

/** The previous calendar month in London, relative to `now`. */
export function previousLondonMonth(now = new Date()): { month: string; from: string; to: string } {
  const today = londonDate(now);
  const firstOfThis = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfThis, -1);
  return { month: to.slice(0, 7), from: `${to.slice(0, 7)}-01`, to };
}

/** The instant of a London wall-clock time on a date that has no clock change (checked). */
function londonInstant(date: string, hour: number, minute: number): Date {
  const at = new Date(startOfLondonDay(date).getTime() + hour * HOUR + minute * MINUTE);
  if (londonDate(at) !== date || londonHour(at) !== hour)
    throw new Error(`no unambiguous ${date} ${hour}:${minute} in London`);
  return at;
}

/** The first date in [from, from + 27] that falls on ISO weekday `day` (inside any month). */
function firstWeekday(from: string, day: number): string {
  for (let i = 0; i < 7; i++) {
    const d = addDays(from, i);
    if (isoWeekday(d) === day) return d;
  }
  throw new Error('unreachable');
}

const letters = (n: number) =>
  Array.from({ length: 6 }, (_, k) => String.fromCharCode(65 + ((n * (k + 7) + k * 11) % 26))).join('');

/** A valid NHS number unique to `i` (the check digit must exist; 10 repeated digits are refused). */
function nhsNumberFor(i: number): string {
  for (let j = 0; ; j++) {
    const nine = String(412_000_000 + i * 1_009 + j * 7).slice(0, 9);
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine.slice(0, 3)} ${nine.slice(3, 6)} ${nine.slice(6)}${check}`;
  }
}

export function seededPerson(i: number, ethnicity: string): SeededPerson {
  return {
    givenName: `Qz${letters(i + 3)}`.slice(0, 8),
    familyName: `Vx${letters(i + 101)}`.slice(0, 9),
    dateOfBirth:
      `${1950 + ((i * 7) % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-` +
      `${String(1 + ((i * 5) % 28)).padStart(2, '0')}`,
    nhsNumber: nhsNumberFor(i),
    ethnicity,
    sex: i % 3 ? 'male' : 'female',
  };
}

/** Moves the handlers' clock to `at`, running on from there in real time. */
function setClock(at: number): void {
  const t0 = Date.now();
  clock.now = () => new Date(at + (Date.now() - t0));
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const expectOk = (what: string, step: { status: number; body: unknown; etag: string | null }) => {
  if (step.status !== 200 || !step.etag) throw new Error(`${what}: ${step.status} ${JSON.stringify(step.body)}`);
  return step.etag;
};

// ---------------------------------------------------------------------------------------------

/**
 * The previous month's referrals, each received at its cell's London time and taken through to
 * a closed outcome. Uses and restores `clock.now`; run before the analytics consumer starts.
 */
export async function seedHistory(api: TestApi, now = new Date()): Promise<HistorySeed> {
  const { month, from, to } = previousLondonMonth(now);
  const police = await api.clientToken(REFERRER_CLIENT);
  const lead = await api.personToken(PEOPLE.lead);
  const sam = await api.personToken(PEOPLE.amhp);

  const total = HEAT_CELLS.reduce((n, c) => n + c.count, 0);
  if (total !== PLAN.length) throw new Error(`seed plan: ${total} cells vs ${PLAN.length} plans`);
  // A fixed permutation (7 is coprime with 25) so each cell mixes groups and outcomes.
  const plans = PLAN.map((_, i) => PLAN[(i * 7) % PLAN.length]!);

  const people: SeededPerson[] = [];
  const referralIds: string[] = [];
  const cells: (HeatCell & { date: string; at: string })[] = [];
  const real = clock.now;
  let next = 0;
  try {
    for (const cell of HEAT_CELLS) {
      const date = firstWeekday(from, cell.day);
      const at = londonInstant(date, cell.hour, cell.minute);
      if (londonDayOfWeek(at) !== cell.day) throw new Error(`seed: ${date} is not ISO day ${cell.day}`);
      cells.push({ ...cell, date, at: at.toISOString() });
      const batch = plans
        .slice(next, next + cell.count)
        .map((plan, k) => ({ plan, person: seededPerson(next + k, plan.ethnicity), id: '', etag: '' }));
      next += cell.count;
      const T = at.getTime();

      setClock(T);
      await inBatches(batch, PARALLEL, async (r) => {
        const body = j1Body({
          person: {
            givenName: r.person.givenName,
            familyName: r.person.familyName,
            dateOfBirth: r.person.dateOfBirth,
            nhsNumber: r.person.nhsNumber,
            ethnicity: r.person.ethnicity,
            sex: r.person.sex,
          },
          legalStatus: {
            detainedAt: new Date(T - 40 * MINUTE).toISOString(),
            arrivedAtPlaceOfSafetyAt: new Date(T - 10 * MINUTE).toISOString(),
          },
          responsibleLssa: LSSA,
        });
        const created = await createReferral(api, police, body);
        r.id = created.id;
        r.etag = created.etag;
      });

      // Each phase at its own time after receipt; the referrals of a cell go through it together.
      const phase = async (offsetMinutes: number, step: (r: (typeof batch)[number]) => Promise<void>) => {
        setClock(T + offsetMinutes * MINUTE);
        await inBatches(batch, PARALLEL, step);
      };
      await phase(8, async (r) => {
        r.etag = expectOk('start-review', await postEvent(api, lead, r.id, { type: 'start-review' }, r.etag));
        r.etag = expectOk(
          'accept',
          await postEvent(api, lead, r.id, { type: 'accept', reason: 'Section 136: assessment needed.' }, r.etag),
        );
        const expectedAttendanceAt = new Date(T + (cell.assessAfterMinutes - 5) * MINUTE).toISOString();
        r.etag = expectOk(
          'allocate',
          await postEvent(api, lead, r.id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt }, r.etag),
        );
      });
      await phase(cell.assessAfterMinutes, async (r) => {
        r.etag = expectOk('start-assessment', await postEvent(api, sam, r.id, { type: 'start-assessment' }, r.etag));
        const application = r.plan.outcome.startsWith('detained-');
        const event = {
          type: 'record-outcome',
          outcome: r.plan.outcome,
          nextSteps: 'Plan agreed with the person and the team.',
          ...(application ? {} : { reasonsInWriting: 'No application made: a less restrictive option is available.' }),
        };
        r.etag = expectOk('record-outcome', await postEvent(api, sam, r.id, event, r.etag));
        r.etag = expectOk('close', await postEvent(api, lead, r.id, { type: 'close', reason: 'completed' }, r.etag));
      });
      for (const r of batch) {
        people.push(r.person);
        referralIds.push(r.id);
      }
    }
  } finally {
    clock.now = real;
  }

  const heat = new Map<string, Controlled>();
  for (let day = 1; day <= 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const n = HEAT_CELLS.filter((c) => c.day === day && c.hour === hour).reduce((s, c) => s + c.count, 0);
      heat.set(`${day}|${hour}`, controlCount(n));
    }
  }
  const byGroup = new Map<string, number>();
  plans.forEach((p) => {
    const key = `${ethnicityGroupOf(p.ethnicity)}|${p.outcome}`;
    byGroup.set(key, (byGroup.get(key) ?? 0) + 1);
  });
  const ethnicity = [...byGroup].map(([key, count]) => {
    const [group, outcome] = key.split('|') as [string, string];
    return { group, outcome, count, figure: controlCount(count) };
  });
  return { month, from, to, cells, heat, ethnicity, people, referralIds };
}

/** One s.136 referral received now from police-a, for the duty lead's board. */
export async function seedLiveReferral(api: TestApi): Promise<LiveSeed> {
  const police = await api.clientToken(REFERRER_CLIENT);
  const person = seededPerson(900, 'A');
  const body = j1Body({
    person: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      ethnicity: person.ethnicity,
      sex: person.sex,
    },
    responsibleLssa: LSSA,
  });
  const created = await createReferral(api, police, body);
  return { id: created.id, reference: created.reference, person, arrivedAt: body.legalStatus.arrivedAtPlaceOfSafetyAt };
}

export const STALE_UNIT = 'p-ash-picu';
export const FRESH_UNIT = 'p-oak-ward';

/**
 * Bed figures as Bea (provider P's bed manager): Ash PICU last said 5 hours ago (the clock is
 * moved back for that update), Oak and Elm wards and the s.136 suite 10 minutes ago.
 */
export async function seedBeds(api: TestApi): Promise<{ staleAsOf: string }> {
  const bea = await api.personToken(PEOPLE.beds);
  const put = async (path: string, json: unknown) => {
    const res = await api.fetch(path, {
      method: 'PUT',
      token: bea,
      json,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  };
  const staleAsOf = new Date(Date.now() - 5 * HOUR).toISOString();
  const real = clock.now;
  try {
    setClock(Date.parse(staleAsOf) + 1_000);
    await put(`/v1/bed-units/${STALE_UNIT}/availability`, {
      asOf: staleAsOf,
      beds: [{ bedType: 'picu', sex: 'mixed', available: 1, total: 10 }],
    });
  } finally {
    clock.now = real;
  }
  // Ten minutes ago: fresh, and older than anything the console's form sends later.
  const now = () => new Date(Date.now() - 10 * MINUTE).toISOString();
  await put(`/v1/bed-units/${FRESH_UNIT}/availability`, {
    asOf: now(),
    beds: [{ bedType: 'adult-acute', sex: 'male', available: 0, total: 20 }],
  });
  await put('/v1/bed-units/p-elm-ward/availability', {
    asOf: now(),
    beds: [{ bedType: 'adult-acute', sex: 'female', available: 2, total: 18 }],
  });
  await put('/v1/places-of-safety/p-hbpos/status', {
    asOf: now(),
    status: 'open',
    capacity: 2,
    emptySpaces: 1,
    acceptsUnder18: true,
  });
  return { staleAsOf };
}

/**
 * Waits until the analytics consumer has rolled up every seeded referral: the demand extract as
 * the analyst sees it (by day of week and hour) equals the expected published figures.
 */
export async function waitForDemandExtract(api: TestApi, history: HistorySeed, timeoutMs = 30_000): Promise<void> {
  const ann = await api.personToken(PEOPLE.analyst);
  const path =
    `/v1/extracts/demand?period=month&from=${history.from}&to=${history.to}&by=dayOfWeek,hourOfDay&lssa=` + `${LSSA}`;
  const want = [...history.heat]
    .filter(([, f]) => f !== 0)
    .map(([k, f]) => `${k}=${f}`)
    .sort();
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const res = await api.fetch(path, { token: ann });
    last = `${res.status} ${await res.text()}`;
    if (res.status === 200) {
      const rows = (
        JSON.parse(last.slice(4)) as {
          rows: { dayOfWeek: string; hourOfDay: string; count: number | null; countSuppressed: boolean }[];
        }
      ).rows;
      const figure = (r: (typeof rows)[number]): Controlled => (r.countSuppressed ? '*' : (r.count ?? 0));
      const got = rows
        .filter((r) => figure(r) !== 0)
        .map((r) => `${r.dayOfWeek}|${r.hourOfDay}=${figure(r)}`)
        .sort();
      if (JSON.stringify(got) === JSON.stringify(want)) return;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the demand extract did not reach the seeded figures ${JSON.stringify(want)}: last ${last.slice(0, 500)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A person of police force A's mental health hub, signing in to the referrer pages (no integration). */
export const REFERRER_PERSON = 'pia.police';
