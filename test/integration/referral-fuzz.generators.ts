/** fast-check generators of invalid referral bodies, one per kind of mistake. */
import fc from 'fast-check';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { FUTURE_SKEW_MS } from '../../shared/domain/referral-rules.js';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import {
  SERVED_LSSAS,
  MARKER,
  FORBIDDEN_KEYS,
  type Obj,
  type FuzzCase,
  makeBase,
  BASE_COUNT,
  S136_BASES,
  getAt,
  setAt,
  deleteAt,
  typeName,
  isPlainObject,
  ALL_ENUM_VALUES,
  SHAPES,
} from './referral-fuzz.bodies.js';

// ---------------------------------------------------------------------------------------------
// Generators.

export const markerArb = fc.nat({ max: 999_999 }).map((n) => `${MARKER}${n}`);
export const baseArb = fc.integer({ min: 0, max: BASE_COUNT - 1 });
export const seedArb = fc.tuple(markerArb, baseArb);

/** Puts the marker into every string value (keys are left alone: pointers name keys by design). */
export function withMarker(value: unknown, m: string): unknown {
  if (typeof value === 'string') return `${value}${m}`;
  if (Array.isArray(value)) return value.map((v) => withMarker(v, m));
  if (isPlainObject(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: withMarker(v, m), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

export const markedString = (m: string) =>
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([a, b]) => `${a}${m}${b}`);
export const smallJson = (m: string) => fc.jsonValue({ maxDepth: 2 }).map((v) => withMarker(v, m));
/** A value of any JSON type: number, string, boolean, array, null, object. */
export const anyValue = (m: string) =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    markedString(m),
    fc.boolean(),
    fc.constant(null),
    fc.array(smallJson(m), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), smallJson(m), { maxKeys: 3 }),
  );

export const fuzzCase = (kind: string, body: unknown, m: string, secrets: readonly string[] = []): FuzzCase => ({
  kind,
  text: JSON.stringify(body),
  secrets: [m, ...secrets],
});

// (a) delete a required key
export const deleteRequired = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.required).map((path) => {
    const body = makeBase(b, m);
    deleteAt(body, path);
    return fuzzCase('delete-required', body, m);
  }),
);

// (b) a value of the wrong type
export const wrongType = seedArb.chain(([m, b]) =>
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
export const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const unknownKey = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.objects).chain((path) => {
    const existing = Object.keys(getAt(makeBase(b, m), path));
    const nearMiss = fc
      .constantFrom(...existing)
      .chain((k) => fc.constantFrom(k.toUpperCase(), `${k}s`, k.toLowerCase(), snake(k), k.slice(0, -1), `${k}_`));
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
export const badEnum = seedArb.chain(([m, b]) =>
  fc.constantFrom(...SHAPES[b]!.enums).chain((path) => {
    const current = String(getAt(makeBase(b, m), path));
    return fc
      .oneof(
        markedString(m),
        fc.constantFrom(...ALL_ENUM_VALUES),
        fc.constantFrom(current.toUpperCase(), ` ${current}`, `${current} `, `${current}${m}`),
      )
      .map((v) => {
        const body = makeBase(b, m);
        setAt(body, path, v);
        return fuzzCase('bad-enum', body, m);
      });
  }),
);

// (e) NHS numbers that are not valid: wrong check digit, placeholders, other spellings
export const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((ds) => ds.join(''));
export const badNhsNumber = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(digits(9), fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([nine, d, grouped]) => {
      const check = nhsCheckDigit(nine);
      const last = d === check ? (d + 1) % 10 : d;
      const ten = `${nine}${last}`;
      return grouped ? `${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6)}` : ten;
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0000000000',
      '1111111111',
      '943-476-5919',
      ' 9434765919',
      '943 4765919',
      '94347659190',
      '943476591',
      '943  476 5919',
      '9434765919 ',
    ),
  },
);
export const invalidNhs = seedArb.chain(([m, b]) =>
  badNhsNumber.map((nhs) => {
    const body = makeBase(b, m);
    setAt(body, ['person', 'nhsNumber'], nhs);
    return fuzzCase('nhs-number', body, m, [nhs]);
  }),
);

// (f) timestamps without an offset, or more than 5 minutes in the future
export const DAY = 86_400_000;
export const pastDate = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2026-11-01T00:00:00Z'),
  noInvalidDate: true,
});
export const noOffset = fc.oneof(
  pastDate.map((d) => d.toISOString().slice(0, 19)),
  pastDate.map((d) => d.toISOString().slice(0, 23)),
  pastDate.map((d) => d.toISOString().replace('T', ' ').slice(0, 19)),
  pastDate.map((d) => d.toISOString().slice(0, 10)),
  pastDate.map((d) => d.toISOString().slice(0, 16)),
);
export const future = fc
  .tuple(fc.integer({ min: FUTURE_SKEW_MS + 60_000, max: 3 * 365 * DAY }), fc.boolean())
  .map(([ahead, withOffset]) => {
    const iso = new Date(Date.now() + ahead).toISOString();
    return withOffset ? iso.replace('Z', '+00:00') : iso;
  });
export const TIMED_BASES = SHAPES.flatMap((shape, i) => (shape.instants.length ? [i] : []));
export const badTimestamp = fc.tuple(markerArb, fc.constantFrom(...TIMED_BASES)).chain(([m, b]) =>
  fc
    .tuple(
      fc.constantFrom(...SHAPES[b]!.instants),
      fc.oneof(
        noOffset.map((v) => ['timestamp-no-offset', v] as const),
        future.map((v) => ['timestamp-future', v] as const),
      ),
    )
    .map(([path, [kind, v]]) => {
      const body = makeBase(b, m);
      setAt(body, path, v);
      return fuzzCase(kind, body, m, [v]);
    }),
);

// (g) over-long, blank or control-character strings
export const badString = seedArb.chain(([m, b]) =>
  fc
    .tuple(
      fc.constantFrom(...SHAPES[b]!.strings),
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .oneof(fc.integer({ min: 26, max: 300 }), fc.integer({ min: 4001, max: 9000 }))
            .map((len) => ['over-long', `${m}${'x'.repeat(len - m.length)}`] as const),
        },
        { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t', '\n').map((s) => ['blank-or-control', s] as const) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u000b')
            .map((c) => ['blank-or-control', `${m}${c}x`] as const),
        },
      ),
    )
    .map(([path, [kind, v]]) => {
      const body = makeBase(b, m);
      setAt(body, path, v);
      return fuzzCase(kind, body, m);
    }),
);

// (h) s.136 used in a dwelling
export const s136Home = fc.tuple(markerArb, fc.constantFrom(...S136_BASES)).map(([m, b]) => {
  const body = makeBase(b, m);
  body.legalStatus.detainedAtLocationType = 'home';
  return fuzzCase('s136-home', body, m);
});

// (i) times out of order: arrival (or kept-where-found, or the inspector's authorisation, or s.4
// admission) before detention (or application)
export const outOfOrder = fc
  .tuple(markerArb, baseArb, fc.integer({ min: 1_000, max: 7 * DAY }), fc.nat())
  .map(([m, b, before, pick]) => {
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
export const unknownLssa = fc
  .tuple(
    markerArb,
    baseArb,
    fc.oneof(fc.stringMatching(/^E0[6-9]\d{6}$/), fc.constantFrom('E06999999', 'E09000001', 'E06000054', 'E06000058')),
  )
  .filter(([, , code]) => !(SERVED_LSSAS as readonly string[]).includes(code))
  .map(([m, b, code]) => {
    const body = makeBase(b, m);
    body.responsibleLssa = code;
    return fuzzCase('unknown-lssa', body, m, [code]);
  });

// (k) completely random JSON
export const randomJson = fc
  .tuple(markerArb, fc.jsonValue())
  .map(([m, v]) => fuzzCase('random-json', withMarker(v, m), m));

// (l) bodies that are not one object: scalars, arrays, and text that is not JSON at all
export const raw = (kind: string, text: string, m: string): FuzzCase => ({ kind, text, secrets: [m] });
export const notAnObject = fc.tuple(markerArb, baseArb).chain(([m, b]) => {
  const valid = makeBase(b, m);
  const text = JSON.stringify(valid);
  return fc.oneof(
    fc
      .oneof(
        markedString(m),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      )
      .map((v) => fuzzCase('scalar-body', v, m)),
    fc
      .oneof(
        fc.constant([valid]),
        fc.constant([valid, valid]),
        fc.constant([]),
        fc.array(smallJson(m), { maxLength: 4 }),
      )
      .map((v) => fuzzCase('array-body', v, m)),
    fc.integer({ min: 0, max: text.length - 1 }).map((k) => raw('truncated-json', text.slice(0, k), m)),
    fc
      .constantFrom(
        `${text} ${m}`,
        `${text},`,
        `{"person": ${m}}`,
        `'${m}'`,
        `${text.slice(0, -1)},}`,
        `{"reasonForReferral": "${m}`,
        `// ${m}\n${text}`,
        `${m}`,
        '   ',
      )
      .map((t) => raw('not-json', t, m)),
  );
});
