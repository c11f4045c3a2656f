/**
 * Property-based fuzzing of POST /v1/referrals through the real path (HTTP → local adapter →
 * handler → DynamoDB Local). Every generated body is invalid (checked locally first with the
 * same schema and rules the handler uses); each must be refused with a 400 problem+json whose
 * field errors are JSON Pointers, never a 5xx, never echoing a submitted value, and nothing may
 * be stored.
 *
 * Values carry a marker (`ZZECHO<n>`): no response may contain it. Unknown *key names* are not
 * marked, because a pointer to an unknown key names it by design (the place, not the value).
 *
 * Deterministic: fast-check runs with a fixed seed (printed on failure, with the counterexample).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { scanAll } from '../../shared/data/pages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddb, tableName } from '../../shared/data/client.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { FUTURE_SKEW_MS, referralRuleProblems } from '../../shared/domain/referral-rules.js';
import { PROBLEM_CONTENT_TYPE, pointerOf } from '../../shared/http/problem.js';
import {
  AGE_BANDS,
  BASES,
  ETHNIC_CATEGORIES,
  LEGAL_STATUSES,
  LOCATION_TYPES,
  PLACE_OF_SAFETY_TYPES,
  RCRP_GROUNDS,
  REFERRAL_CREATE_EXAMPLE,
  ReferralCreate,
  SEXES,
  URGENCIES,
  YES_NO_UNKNOWN,
} from '../../shared/schemas/referral.js';
import { startTestApi, type TestApi } from '../support/api.js';

const SEED = 20261124;
const BATCH = 16; // requests in flight at a time
const MIN_SENT = 2000;
const NUM_RUNS = Math.ceil(MIN_SENT / BATCH) + 3; // 131 batches × 16 = 2,096 requests
const SERVED_LSSAS = ['E06000055', 'E06000056', 'E06000057'] as const;
const CLIENT_ID = 'ambulance-cad';
const ORGANISATION_ID = 'ambulance';
const KEY_PREFIX = `fuzz-${Date.now().toString(36)}-`;
const MARKER = 'ZZECHO';
/** Key names the body parser refuses outright (prototype pollution), before the schema. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Obj = Record<string, any>;
type Path = readonly (string | number)[];

interface FuzzCase {
  readonly kind: string;
  /** The exact request body text. */
  readonly text: string;
  /** Strings that must never appear in a response (the marker and any other submitted value). */
  readonly secrets: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The local oracle: what the handler should answer, from the same schema and rules.

/** Object keys the JSON parser refuses, with their pointers (it does not descend into them). */
function forbiddenKeyPointers(value: unknown, path: (string | number)[] = [], out: string[] = []): string[] {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) forbiddenKeyPointers(v, [...path, i], out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) out.push(pointerOf([...path, k]));
      else forbiddenKeyPointers(v, [...path, k], out);
    }
  return out;
}

/**
 * The set of pointers the Hub should report for this body text; empty when the body is valid
 * (it would be stored). `now` is the time of the check: future times are ≥ 6 min ahead, so the
 * answer does not change between the check and the request.
 */
function expectedPointers(text: string, now = new Date()): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ['']; // empty or malformed JSON
  }
  const forbidden = forbiddenKeyPointers(value);
  if (forbidden.length) return uniqueSorted(forbidden);
  const parsed = ReferralCreate.safeParse(value);
  if (!parsed.success)
    return uniqueSorted(
      parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => pointerOf([...i.path, k])) : [pointerOf(i.path)])),
    );
  return uniqueSorted(referralRuleProblems(parsed.data, { now, servedLssas: SERVED_LSSAS }).map((p) => p.pointer));
}

const uniqueSorted = (xs: readonly string[]) => [...new Set(xs)].sort();

// ---------------------------------------------------------------------------------------------
// Valid starting bodies (checked valid in beforeAll), each with the marker in its free text.

function makeBase(index: number, m: string): Obj {
  const b = structuredClone(REFERRAL_CREATE_EXAMPLE) as Obj;
  b.referrer.name = `PC Jordan Ellis ${m}`;
  b.person.givenName = `Daniel ${m}`;
  b.person.familyName = `Marsh ${m}`;
  b.reasonForReferral = `${b.reasonForReferral} ${m}`;
  b.alternativesTried = `${b.alternativesTried} ${m}`;
  b.risk.notes = `${b.risk.notes} ${m}`;
  b.nearestRelative.name = `Ruth Marsh ${m}`;
  switch (index) {
    case 0: // J1 as written
      break;
    case 1: // an unidentified person, kept where found, an address instead of a site
      b.person = {
        identityUnknown: true,
        description: `Man in his thirties, dark coat ${m}`,
        estimatedAgeBand: '25-34',
        appearsUnder18: false,
        sex: 'male',
        ethnicity: '99',
        communicationNeeds: `Hard of hearing ${m}`,
      };
      b.location = { type: 'public-place', address: { lines: [`Level 4, Riverside car park ${m}`, 'Quay Road'], postcode: 'NE1 3AF' }, description: `By the stairwell ${m}` };
      b.legalStatus = {
        status: 's136',
        detainedAt: '2026-11-14T23:05:00Z',
        detainedAtLocationType: 'public-place',
        keptWhereFoundAt: '2026-11-14T23:20:00+00:00',
        placeOfSafetyType: 'other-suitable-place',
      };
      delete b.nearestRelative;
      break;
    case 2: // a nearest relative's request (s.13(4)) for an informal patient at home, GP and care coordinator
      b.basis = 's13-4';
      b.responsibleLssa = 'E06000057';
      b.person.communicationNeeds = `Prefers written questions ${m}`;
      delete b.person.nhsNumber;
      b.location = { type: 'home', address: { lines: [`12 Elm Road ${m}`], postcode: 'SV1 2AB' } };
      b.legalStatus = { status: 'informal' };
      b.urgency = 'planned';
      b.risk.policeAttendanceRequested = false;
      delete b.risk.rcrpGround;
      b.nearestRelative = { known: true, name: `Ruth Marsh ${m}`, relationship: 'sister', contact: '+44 7700 900789' };
      b.gp = { practiceName: `Elm Road Surgery ${m}`, odsCode: 'A81001', phone: '0191 496 0000' };
      b.careCoordinator = { name: `Chris Doe ${m}`, team: 'Riverside CMHT', phone: '0191 496 0001', email: 'chris.doe@cmht.example' };
      break;
    case 3: // an adult at a police station as the place of safety, with the inspector's authorisation
      b.location = { type: 'custody', siteId: 'CUSTODY-1' };
      b.legalStatus = {
        status: 's136',
        detainedAt: '2026-11-14T23:05:00Z',
        detainedAtLocationType: 'public-place',
        arrivedAtPlaceOfSafetyAt: '2026-11-14T23:40:00Z',
        placeOfSafetyType: 'police-station',
        placeOfSafetySiteId: 'CUSTODY-1',
        inspectorAuthorisation: { authorisedAt: '2026-11-14T23:35:00Z', ground: 'imminent-risk-of-serious-injury-or-death', healthcareProfessionalAvailable: true },
      };
      break;
    case 4: // s.4 on a ward
      b.location = { type: 'inpatient-ward', siteId: 'RX4-WARD-2' };
      b.legalStatus = { status: 's4', applicationAt: '2026-11-14T22:00:00Z', medicalExaminationAt: '2026-11-14T21:30:00Z', admittedAt: '2026-11-14T23:00:00Z' };
      b.risk.policeAttendanceRequested = false;
      delete b.risk.rcrpGround;
      break;
    default:
      throw new Error(`no base ${index}`);
  }
  return b;
}
const BASE_COUNT = 5;
const S136_BASES = [0, 1, 3];

// ---------------------------------------------------------------------------------------------
// Paths.

interface Node {
  path: (string | number)[];
  value: unknown;
}
function nodesOf(value: unknown, path: (string | number)[] = [], out: Node[] = []): Node[] {
  out.push({ path, value });
  if (Array.isArray(value)) for (const [i, v] of value.entries()) nodesOf(v, [...path, i], out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) nodesOf(v, [...path, k], out);
  return out;
}
const getAt = (root: unknown, path: Path): any => path.reduce<any>((o, k) => o[k], root);
function setAt(root: Obj, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1));
  Object.defineProperty(parent, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}
function deleteAt(root: Obj, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isPlainObject = (v: unknown): v is Obj => typeName(v) === 'object';

const ENUM_KEYS = new Set([
  'basis', 'sex', 'ethnicity', 'estimatedAgeBand', 'type', 'status', 'detainedAtLocationType', 'placeOfSafetyType', 'urgency',
  'violence', 'weapons', 'animals', 'substanceUse', 'othersPresent', 'accessIssues', 'loneWorkerRisk', 'rcrpGround',
  'doctorWithPreviousKnowledge', 'ground',
]);
const ALL_ENUM_VALUES = [
  ...BASES, ...SEXES, ...ETHNIC_CATEGORIES, ...AGE_BANDS, ...LOCATION_TYPES, ...LEGAL_STATUSES, ...PLACE_OF_SAFETY_TYPES,
  ...URGENCIES, ...YES_NO_UNKNOWN, ...RCRP_GROUNDS, 'imminent-risk-of-serious-injury-or-death',
];

interface BaseShape {
  all: Path[]; // every non-root node
  required: Path[]; // nodes whose deletion alone makes the body invalid
  objects: Path[]; // plain objects, root included
  strings: Path[]; // string leaves
  enums: Path[];
  instants: Path[]; // keys ending in At
}
const SHAPES: BaseShape[] = Array.from({ length: BASE_COUNT }, (_, i) => {
  const base = makeBase(i, `${MARKER}0`);
  const nodes = nodesOf(base);
  const last = (p: Path) => String(p[p.length - 1]);
  return {
    all: nodes.filter((n) => n.path.length > 0).map((n) => n.path),
    required: nodes
      .filter((n) => n.path.length > 0)
      .map((n) => n.path)
      .filter((p) => {
        const b = makeBase(i, `${MARKER}0`);
        deleteAt(b, p);
        return expectedPointers(JSON.stringify(b)).length > 0;
      }),
    objects: nodes.filter((n) => isPlainObject(n.value)).map((n) => n.path),
    strings: nodes.filter((n) => typeof n.value === 'string').map((n) => n.path),
    enums: nodes.filter((n) => typeof n.value === 'string' && ENUM_KEYS.has(last(n.path))).map((n) => n.path),
    instants: nodes.filter((n) => typeof n.value === 'string' && last(n.path).endsWith('At')).map((n) => n.path),
  };
});

// ---------------------------------------------------------------------------------------------
// Generators.

const markerArb = fc.nat({ max: 999_999 }).map((n) => `${MARKER}${n}`);
const baseArb = fc.integer({ min: 0, max: BASE_COUNT - 1 });
const seedArb = fc.tuple(markerArb, baseArb);

/** Puts the marker into every string value (keys are left alone: pointers name keys by design). */
function withMarker(value: unknown, m: string): unknown {
  if (typeof value === 'string') return `${value}${m}`;
  if (Array.isArray(value)) return value.map((v) => withMarker(v, m));
  if (isPlainObject(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: withMarker(v, m), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

const markedString = (m: string) => fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([a, b]) => `${a}${m}${b}`);
const smallJson = (m: string) => fc.jsonValue({ maxDepth: 2 }).map((v) => withMarker(v, m));
/** A value of any JSON type: number, string, boolean, array, null, object. */
const anyValue = (m: string) =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    markedString(m),
    fc.boolean(),
    fc.constant(null),
    fc.array(smallJson(m), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), smallJson(m), { maxKeys: 3 }),
  );

const fuzzCase = (kind: string, body: unknown, m: string, secrets: readonly string[] = []): FuzzCase => ({
  kind,
  text: JSON.stringify(body),
  secrets: [m, ...secrets],
});

// (a) delete a required key
const deleteRequired = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.required).map((path) => {
    const body = makeBase(b, m);
    deleteAt(body, path);
    return fuzzCase('delete-required', body, m);
  }),
);

// (b) a value of the wrong type
const wrongType = seedArb.chain(([m, b]) =>
  fc
    .tuple(fc.constantFrom(...SHAPES[b]!.all), anyValue(m))
    .filter(([path, v]) => typeName(v) !== typeName(getAt(makeBase(b, m), path)))
    .map(([path, v]) => {
      const body = makeBase(b, m);
      setAt(body, path, v);
      return fuzzCase('wrong-type', body, m);
    }),
);

// (c) an unknown key somewhere (random names and near-misses of real ones)
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const unknownKey = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.objects).chain((path) => {
    const existing = Object.keys(getAt(makeBase(b, m), path));
    const nearMiss = fc.constantFrom(...existing).chain((k) => fc.constantFrom(k.toUpperCase(), `${k}s`, k.toLowerCase(), snake(k), k.slice(0, -1), `${k}_`));
    const key = fc
      .oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/), nearMiss)
      .filter((k) => k.length > 0 && !existing.includes(k) && !FORBIDDEN_KEYS.has(k) && !k.includes(MARKER));
    return fc.tuple(key, anyValue(m)).map(([k, v]) => {
      const body = makeBase(b, m);
      setAt(body, [...path, k], v);
      return fuzzCase('unknown-key', body, m);
    });
  }),
);

// (d) an enum field set to some other string
const badEnum = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.enums).chain((path) => {
    const current = String(getAt(makeBase(b, m), path));
    return fc
      .oneof(markedString(m), fc.constantFrom(...ALL_ENUM_VALUES), fc.constantFrom(current.toUpperCase(), ` ${current}`, `${current} `, `${current}${m}`))
      .map((v) => {
        const body = makeBase(b, m);
        setAt(body, path, v);
        return fuzzCase('bad-enum', body, m);
      });
  }),
);

// (e) NHS numbers that are not valid: wrong check digit, placeholders, other spellings
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((ds) => ds.join(''));
const badNhsNumber = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(digits(9), fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([nine, d, grouped]) => {
    const check = nhsCheckDigit(nine);
    const last = d === check ? (d + 1) % 10 : d;
    const ten = `${nine}${last}`;
    return grouped ? `${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6)}` : ten;
  }) },
  { weight: 1, arbitrary: fc.constantFrom('0000000000', '1111111111', '943-476-5919', ' 9434765919', '943 4765919', '94347659190', '943476591', '943  476 5919', '9434765919 ') },
);
const invalidNhs = seedArb.chain(([m, b]) =>
  badNhsNumber.map((nhs) => {
    const body = makeBase(b, m);
    setAt(body, ['person', 'nhsNumber'], nhs);
    return fuzzCase('nhs-number', body, m, [nhs]);
  }),
);

// (f) timestamps without an offset, or more than 5 minutes in the future
const DAY = 86_400_000;
const pastDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2026-11-01T00:00:00Z'), noInvalidDate: true });
const noOffset = fc.oneof(
  pastDate.map((d) => d.toISOString().slice(0, 19)),
  pastDate.map((d) => d.toISOString().slice(0, 23)),
  pastDate.map((d) => d.toISOString().replace('T', ' ').slice(0, 19)),
  pastDate.map((d) => d.toISOString().slice(0, 10)),
  pastDate.map((d) => d.toISOString().slice(0, 16)),
);
const future = fc
  .tuple(fc.integer({ min: FUTURE_SKEW_MS + 60_000, max: 3 * 365 * DAY }), fc.boolean())
  .map(([ahead, withOffset]) => {
    const iso = new Date(Date.now() + ahead).toISOString();
    return withOffset ? iso.replace('Z', '+00:00') : iso;
  });
const TIMED_BASES = SHAPES.flatMap((shape, i) => (shape.instants.length ? [i] : []));
const badTimestamp = fc.tuple(markerArb, fc.constantFrom(...TIMED_BASES)).chain(([m, b]) =>
  fc.tuple(fc.constantFrom(...SHAPES[b]!.instants), fc.oneof(noOffset.map((v) => ['timestamp-no-offset', v] as const), future.map((v) => ['timestamp-future', v] as const))).map(
    ([path, [kind, v]]) => {
      const body = makeBase(b, m);
      setAt(body, path, v);
      return fuzzCase(kind, body, m, [v]);
    },
  ),
);

// (g) over-long, blank or control-character strings
const badString = seedArb.chain(([m, b]) =>
  fc
    .tuple(
      fc.constantFrom(...SHAPES[b]!.strings),
      fc.oneof(
        { weight: 3, arbitrary: fc.oneof(fc.integer({ min: 26, max: 300 }), fc.integer({ min: 4001, max: 9000 })).map((len) => ['over-long', `${m}${'x'.repeat(len - m.length)}`] as const) },
        { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t', '\n').map((s) => ['blank-or-control', s] as const) },
        { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u000b').map((c) => ['blank-or-control', `${m}${c}x`] as const) },
      ),
    )
    .map(([path, [kind, v]]) => {
      const body = makeBase(b, m);
      setAt(body, path, v);
      return fuzzCase(kind, body, m);
    }),
);

// (h) s.136 used in a dwelling
const s136Home = fc.tuple(markerArb, fc.constantFrom(...S136_BASES)).map(([m, b]) => {
  const body = makeBase(b, m);
  body.legalStatus.detainedAtLocationType = 'home';
  return fuzzCase('s136-home', body, m);
});

// (i) times out of order: arrival (or kept-where-found, or the inspector's authorisation, or s.4
// admission) before detention (or application)
const outOfOrder = fc.tuple(markerArb, baseArb, fc.integer({ min: 1_000, max: 7 * DAY }), fc.nat()).map(([m, b, before, pick]) => {
  const body = makeBase(b, m);
  const ls = body.legalStatus;
  if (ls.status === 'informal') body.legalStatus = structuredClone(REFERRAL_CREATE_EXAMPLE.legalStatus) as Obj;
  const status = body.legalStatus;
  const shift = (iso: string) => new Date(Date.parse(iso) - before).toISOString();
  if (status.status === 's4') status.admittedAt = shift(status.applicationAt);
  else {
    const laterKeys = ['arrivedAtPlaceOfSafetyAt', 'keptWhereFoundAt'].filter((k) => k in status);
    if (status.inspectorAuthorisation) laterKeys.push('inspectorAuthorisation');
    const key = laterKeys[pick % laterKeys.length]!;
    if (key === 'inspectorAuthorisation') status.inspectorAuthorisation.authorisedAt = shift(status.detainedAt);
    else status[key] = shift(status.detainedAt);
  }
  return fuzzCase('out-of-order', body, m);
});

// (j) an LSSA code of the right shape that this Hub does not serve
const unknownLssa = fc
  .tuple(markerArb, baseArb, fc.oneof(fc.stringMatching(/^E0[6-9]\d{6}$/), fc.constantFrom('E06999999', 'E09000001', 'E06000054', 'E06000058')))
  .filter(([, , code]) => !(SERVED_LSSAS as readonly string[]).includes(code))
  .map(([m, b, code]) => {
    const body = makeBase(b, m);
    body.responsibleLssa = code;
    return fuzzCase('unknown-lssa', body, m, [code]);
  });

// (k) completely random JSON
const randomJson = fc.tuple(markerArb, fc.jsonValue()).map(([m, v]) => fuzzCase('random-json', withMarker(v, m), m));

// (l) bodies that are not one object: scalars, arrays, and text that is not JSON at all
const raw = (kind: string, text: string, m: string): FuzzCase => ({ kind, text, secrets: [m] });
const notAnObject = fc.tuple(markerArb, baseArb).chain(([m, b]) => {
  const valid = makeBase(b, m);
  const text = JSON.stringify(valid);
  return fc.oneof(
    fc.oneof(markedString(m), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)).map((v) => fuzzCase('scalar-body', v, m)),
    fc.oneof(fc.constant([valid]), fc.constant([valid, valid]), fc.constant([]), fc.array(smallJson(m), { maxLength: 4 })).map((v) => fuzzCase('array-body', v, m)),
    fc.integer({ min: 0, max: text.length - 1 }).map((k) => raw('truncated-json', text.slice(0, k), m)),
    fc.constantFrom(
      `${text} ${m}`,
      `${text},`,
      `{"person": ${m}}`,
      `'${m}'`,
      `${text.slice(0, -1)},}`,
      `{"reasonForReferral": "${m}` ,
      `// ${m}\n${text}`,
      `${m}`,
      '   ',
    ).map((t) => raw('not-json', t, m)),
  );
});

const stats = { sent: 0, filteredOut: 0, fiveXx: 0, byKind: new Map<string, number>() };

const caseArb: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    { weight: 3, arbitrary: deleteRequired },
    { weight: 3, arbitrary: wrongType },
    { weight: 3, arbitrary: unknownKey },
    { weight: 2, arbitrary: badEnum },
    { weight: 1, arbitrary: invalidNhs },
    { weight: 2, arbitrary: badTimestamp },
    { weight: 2, arbitrary: badString },
    { weight: 1, arbitrary: s136Home },
    { weight: 1, arbitrary: outOfOrder },
    { weight: 1, arbitrary: unknownLssa },
    { weight: 1, arbitrary: randomJson },
    { weight: 1, arbitrary: notAnObject },
  )
  .filter((c) => {
    // Only bodies that really are invalid are sent.
    if (expectedPointers(c.text).length > 0) return true;
    stats.filteredOut += 1;
    return false;
  });

// ---------------------------------------------------------------------------------------------
// The test.

let api: TestApi;
let token: string;
let startedAt: string;
const sentKeys = new Set<string>();

beforeAll(async () => {
  api = await startTestApi();
  token = await api.clientToken(CLIENT_ID);
  startedAt = new Date(Date.now() - 1000).toISOString();
});
afterAll(async () => api?.close());

const clip = (s: string, n = 1500) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** Sends one case; returns a description of what was wrong with the answer, if anything. */
async function send(c: FuzzCase): Promise<string | undefined> {
  const key = `${KEY_PREFIX}${randomUUID()}`;
  sentKeys.add(key);
  const expected = expectedPointers(c.text);
  const res = await api.fetch('/v1/referrals', {
    method: 'POST',
    token,
    body: c.text,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
  });
  const text = await res.text();
  stats.sent += 1;
  stats.byKind.set(c.kind, (stats.byKind.get(c.kind) ?? 0) + 1);
  if (res.status >= 500) stats.fiveXx += 1;

  const problems: string[] = [];
  if (expected.length === 0) problems.push('the local oracle now says this body is VALID (generator bug)');
  if (res.status !== 400) problems.push(`status ${res.status}, expected 400`);
  if (!(res.headers.get('content-type') ?? '').includes(PROBLEM_CONTENT_TYPE)) problems.push(`content-type ${res.headers.get('content-type')}`);
  let body: { status?: unknown; errors?: unknown } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push('response body is not JSON');
  }
  if (body) {
    if (body.status !== 400) problems.push(`problem status ${String(body.status)}`);
    const errors = body.errors;
    if (!Array.isArray(errors) || errors.length === 0) problems.push('no errors[]');
    else {
      const malformed = errors.filter(
        (e) => !(e && typeof e.pointer === 'string' && (e.pointer === '' || e.pointer.startsWith('/')) && typeof e.message === 'string' && e.message.length > 0),
      );
      if (malformed.length) problems.push(`malformed field errors: ${JSON.stringify(malformed)}`);
      const got = uniqueSorted(errors.map((e: { pointer?: unknown }) => String(e?.pointer)));
      if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`pointers ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
  }
  const headerText = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  for (const secret of [MARKER, ...c.secrets])
    if (secret && (text.includes(secret) || headerText.includes(secret))) problems.push(`response echoes a submitted value (${JSON.stringify(secret)})`);

  if (!problems.length) return undefined;
  return `[${c.kind}] ${problems.join('; ')}\n  request: ${clip(c.text)}\n  response ${res.status}: ${clip(text)}`;
}

const scanTable = (table: string): Promise<Record<string, unknown>[]> => scanAll(ddb(), { TableName: table });

describe('POST /v1/referrals refuses generated invalid bodies', () => {
  it('the starting bodies are valid, and every generator kind yields invalid bodies', () => {
    for (let i = 0; i < BASE_COUNT; i++) expect(expectedPointers(JSON.stringify(makeBase(i, `${MARKER}1`))), `base ${i}`).toEqual([]);
    for (const shape of SHAPES) {
      expect(shape.required.length).toBeGreaterThan(10);
      for (const list of [shape.all, shape.objects, shape.strings, shape.enums]) expect(list.length).toBeGreaterThan(0);
    }
    expect(TIMED_BASES.length).toBe(4);
  });

  it(`≥ ${MIN_SENT} invalid bodies: each a 400 problem+json with JSON Pointers, no 5xx, nothing echoed`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const failures = (await Promise.all(batch.map(send))).filter((f): f is string => f !== undefined);
        if (failures.length) throw new Error(`${failures.length} of ${batch.length} answers wrong:\n${failures.join('\n')}`);
      }),
      { seed: SEED, numRuns: NUM_RUNS, endOnFailure: process.env.FUZZ_SHRINK ? false : true },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.info(
      `referral fuzz: sent ${stats.sent} in ${seconds}s (seed ${SEED}); filtered out ${stats.filteredOut} valid candidates; by kind ${JSON.stringify(Object.fromEntries([...stats.byKind].sort()))}`,
    );
    expect(stats.fiveXx).toBe(0);
    expect(stats.sent).toBeGreaterThanOrEqual(MIN_SENT);
  }, 180_000);

  it('nothing was stored: no referral for the fuzzing organisation, no idempotency record, no marker anywhere', async () => {
    expect(stats.sent).toBeGreaterThanOrEqual(MIN_SENT);
    const hub = await scanTable(tableName('hub'));
    const referrals = hub.filter((item) => {
      if (!String(item.PK).startsWith('REFERRAL#')) return false;
      const referrer = item.referrer as { organisationId?: unknown } | undefined;
      const org = referrer?.organisationId ?? item.organisationId;
      const when = String(item.receivedAt ?? item.at ?? item.updatedAt ?? '');
      return org === ORGANISATION_ID && when >= startedAt;
    });
    expect(referrals.map((i) => `${String(i.PK)} ${String(i.SK)}`)).toEqual([]);
    const idempotency = hub.filter((item) => {
      const pk = String(item.PK);
      return pk.startsWith(`IDEMPOTENCY#${ORGANISATION_ID}#`) && sentKeys.has(pk.slice(`IDEMPOTENCY#${ORGANISATION_ID}#`.length));
    });
    expect(idempotency.map((i) => String(i.PK))).toEqual([]);
    expect(hub.filter((i) => String(i.PK).startsWith(`IDEMPOTENCY#${ORGANISATION_ID}#${KEY_PREFIX}`))).toEqual([]);
    for (const table of [tableName('hub'), tableName('audit'), tableName('analytics')]) {
      const items = table === tableName('hub') ? hub : await scanTable(table);
      const marked = items.filter((i) => JSON.stringify(i).includes(MARKER));
      expect(marked.length, `items in ${table} holding a fuzz marker`).toBe(0);
    }
  }, 60_000);
});
