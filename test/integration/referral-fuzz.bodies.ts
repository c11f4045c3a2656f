import { referralRuleProblems } from '../../shared/domain/referral-rules.js';
import { pointerOf } from '../../shared/http/problem.js';
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

export const SEED = 20261124;
export const BATCH = 16; // requests in flight at a time
export const MIN_SENT = 2000;
export const NUM_RUNS = Math.ceil(MIN_SENT / BATCH) + 3; // 131 batches × 16 = 2,096 requests
export const SERVED_LSSAS = ['E06000055', 'E06000056', 'E06000057'] as const;
export const CLIENT_ID = 'ambulance-cad';
export const ORGANISATION_ID = 'ambulance';
export const KEY_PREFIX = `fuzz-${Date.now().toString(36)}-`;
export const MARKER = 'ZZECHO';
/** Key names the body parser refuses outright (prototype pollution), before the schema. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type Obj = Record<string, any>;
export type Path = readonly (string | number)[];

export interface FuzzCase {
  readonly kind: string;
  /** The exact request body text. */
  readonly text: string;
  /** Strings that must never appear in a response (the marker and any other submitted value). */
  readonly secrets: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The local oracle: what the handler should answer, from the same schema and rules.

/** Object keys the JSON parser refuses, with their pointers (it does not descend into them). */
export function forbiddenKeyPointers(value: unknown, path: (string | number)[] = [], out: string[] = []): string[] {
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
export function expectedPointers(text: string, now = new Date()): string[] {
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
      parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys' ? i.keys.map((k) => pointerOf([...i.path, k])) : [pointerOf(i.path)],
      ),
    );
  return uniqueSorted(referralRuleProblems(parsed.data, { now, servedLssas: SERVED_LSSAS }).map((p) => p.pointer));
}

export const uniqueSorted = (xs: readonly string[]) => [...new Set(xs)].sort();

// ---------------------------------------------------------------------------------------------
// Valid starting bodies (checked valid in beforeAll), each with the marker in its free text.

export function makeBase(index: number, m: string): Obj {
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
      b.location = {
        type: 'public-place',
        address: { lines: [`Level 4, Riverside car park ${m}`, 'Quay Road'], postcode: 'NE1 3AF' },
        description: `By the stairwell ${m}`,
      };
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
      b.careCoordinator = {
        name: `Chris Doe ${m}`,
        team: 'Riverside CMHT',
        phone: '0191 496 0001',
        email: 'chris.doe@cmht.example',
      };
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
        inspectorAuthorisation: {
          authorisedAt: '2026-11-14T23:35:00Z',
          ground: 'imminent-risk-of-serious-injury-or-death',
          healthcareProfessionalAvailable: true,
        },
      };
      break;
    case 4: // s.4 on a ward
      b.location = { type: 'inpatient-ward', siteId: 'RX4-WARD-2' };
      b.legalStatus = {
        status: 's4',
        applicationAt: '2026-11-14T22:00:00Z',
        medicalExaminationAt: '2026-11-14T21:30:00Z',
        admittedAt: '2026-11-14T23:00:00Z',
      };
      b.risk.policeAttendanceRequested = false;
      delete b.risk.rcrpGround;
      break;
    default:
      throw new Error(`no base ${index}`);
  }
  return b;
}
export const BASE_COUNT = 5;
export const S136_BASES = [0, 1, 3];

// ---------------------------------------------------------------------------------------------
// Paths.

export interface Node {
  path: (string | number)[];
  value: unknown;
}
export function nodesOf(value: unknown, path: (string | number)[] = [], out: Node[] = []): Node[] {
  out.push({ path, value });
  if (Array.isArray(value)) for (const [i, v] of value.entries()) nodesOf(v, [...path, i], out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) nodesOf(v, [...path, k], out);
  return out;
}
export const getAt = (root: unknown, path: Path): any => path.reduce<any>((o, k) => o[k], root);
export function setAt(root: Obj, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1));
  Object.defineProperty(parent, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
export function deleteAt(root: Obj, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}
export const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
export const isPlainObject = (v: unknown): v is Obj => typeName(v) === 'object';

export const ENUM_KEYS = new Set([
  'basis',
  'sex',
  'ethnicity',
  'estimatedAgeBand',
  'type',
  'status',
  'detainedAtLocationType',
  'placeOfSafetyType',
  'urgency',
  'violence',
  'weapons',
  'animals',
  'substanceUse',
  'othersPresent',
  'accessIssues',
  'loneWorkerRisk',
  'rcrpGround',
  'doctorWithPreviousKnowledge',
  'ground',
]);
export const ALL_ENUM_VALUES = [
  ...BASES,
  ...SEXES,
  ...ETHNIC_CATEGORIES,
  ...AGE_BANDS,
  ...LOCATION_TYPES,
  ...LEGAL_STATUSES,
  ...PLACE_OF_SAFETY_TYPES,
  ...URGENCIES,
  ...YES_NO_UNKNOWN,
  ...RCRP_GROUNDS,
  'imminent-risk-of-serious-injury-or-death',
];

export interface BaseShape {
  all: Path[]; // every non-root node
  required: Path[]; // nodes whose deletion alone makes the body invalid
  objects: Path[]; // plain objects, root included
  strings: Path[]; // string leaves
  enums: Path[];
  instants: Path[]; // keys ending in At
}
export const SHAPES: BaseShape[] = Array.from({ length: BASE_COUNT }, (_, i) => {
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
