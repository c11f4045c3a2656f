/** referral-schema tests, events: see ./referral-schema.fixture.ts for what they run against. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import {
  type Json,
  example,
  problemsOf,
  pointersOf,
  segments,
  setAt,
  deleteAt,
  edit,
  AUTHORISED,
  AT_POLICE_STATION,
} from './referral-schema.fixture.js';

describe('ReferralCreate: random mutations of the example are refused at the field (property)', () => {
  /** Keys the example may lose and still be valid. */
  const OPTIONAL = new Set([
    '/referrer/email',
    '/basis',
    '/person/nhsNumber',
    '/legalStatus/arrivedAtPlaceOfSafetyAt',
    '/legalStatus/placeOfSafetySiteId',
    '/alternativesTried',
    '/risk/notes',
    '/nearestRelative',
    '/nearestRelative/name',
    '/nearestRelative/relationship',
    '/nearestRelative/contact',
  ]);
  /** Where deleting a key is reported at another field (the pair's rule names the first). */
  const REPORTED_AT: Record<string, string> = { '/location/siteId': '/location/address' };
  const ENUMS = [
    '/basis',
    '/person/sex',
    '/person/ethnicity',
    '/location/type',
    '/legalStatus/status',
    '/legalStatus/detainedAtLocationType',
    '/legalStatus/placeOfSafetyType',
    '/urgency',
    '/risk/violence',
    '/risk/weapons',
    '/risk/animals',
    '/risk/substanceUse',
    '/risk/othersPresent',
    '/risk/accessIssues',
    '/risk/loneWorkerRisk',
    '/risk/rcrpGround',
    '/doctorWithPreviousKnowledge',
  ];

  const paths: { pointer: string; value: unknown }[] = [];
  const walk = (value: unknown, pointer: string): void => {
    if (pointer !== '') paths.push({ pointer, value });
    if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, `${pointer}/${k}`);
  };
  walk(REFERRAL_CREATE_EXAMPLE, '');
  const objects = ['', ...paths.filter((p) => p.value !== null && typeof p.value === 'object').map((p) => p.pointer)];
  const required = paths.map((p) => p.pointer).filter((p) => !OPTIONAL.has(p));

  const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const WRONG_TYPES: unknown[] = [42, true, null, 'text', [], {}];

  type Mutation = { body: Json; expect: string };
  const deleteRequired = fc
    .constantFrom(...required)
    .map((p): Mutation => ({ body: deleteAt(example(), p), expect: REPORTED_AT[p] ?? p }));
  const wrongType = fc
    .constantFrom(...paths)
    .chain((p) => fc.constantFrom(...WRONG_TYPES.filter((w) => kindOf(w) !== kindOf(p.value))).map((w) => ({ p, w })))
    .map(({ p, w }): Mutation => ({ body: setAt(example(), p.pointer, structuredClone(w)), expect: p.pointer }));
  const unknownKey = fc
    .tuple(fc.constantFrom(...objects), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,15}$/), fc.jsonValue())
    .map(([o, k, v]): Mutation => {
      const body = example();
      const target = o === '' ? body : segments(o).reduce((n: Json, s) => n[s], body);
      // Prefixed so it is never a real key, nor one a sibling branch of a union accepts.
      target[`x-${k}`] = v;
      return { body, expect: `${o}/x-${k}` };
    });
  const badEnum = fc
    .tuple(fc.constantFrom(...ENUMS), fc.stringMatching(/^[a-z0-9-]{0,20}$/))
    .map(([p, s]): Mutation => ({ body: setAt(example(), p, `zz${s}`), expect: p }));

  it('≥ 500 mutations: each fails, with a pointer at the mutated field', () => {
    fc.assert(
      fc.property(fc.oneof(deleteRequired, wrongType, unknownKey, badEnum), (m) => {
        const problems = problemsOf(m.body);
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(p.pointer).toMatch(/^\//);
        expect(problems.map((p) => p.pointer)).toContain(m.expect);
      }),
      { numRuns: 600 },
    );
  });

  it('any JSON value anywhere never throws, and every problem has a body pointer', () => {
    const atPoliceStation = edit(...AT_POLICE_STATION, ['/legalStatus/inspectorAuthorisation', AUTHORISED]);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...paths.map((p) => p.pointer)),
        fc.oneof(fc.string(), fc.jsonValue()),
        (police, p, v) => {
          const body = setAt(police ? structuredClone(atPoliceStation) : example(), p, v);
          for (const problem of problemsOf(body)) expect(problem.pointer).toMatch(/^\//);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every required key of the example is reported when missing', () => {
    for (const p of required) expect(pointersOf(deleteAt(example(), p)), p).toContain(REPORTED_AT[p] ?? p);
    for (const p of OPTIONAL) expect(problemsOf(deleteAt(example(), p)), p).toEqual([]);
  });
});
