/** The 500 synthetic people the analytics test refers, drawn deterministically so a failure reproduces. */
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';

export const N = 500;
export const AGENCIES = [
  ['police-a-triage', 'police'],
  ['ambulance-cad', 'ambulance'],
  ['ae-liaison-system', 'emergency-department'],
  ['cmht-system', 'cmht'],
] as const;
export const OUTCOMES = [
  'detained-s2',
  'informal-admission',
  'home-treatment-crisis-team',
  'no-further-action',
] as const;
export const ETHNICITIES = ['A', 'C', 'H', 'M', 'R', 'Z'];

/** Deterministic pseudo-random choices, so a failure reproduces. */
function* lcg(seed: number) {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

export interface Seeded {
  i: number;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string;
  phone: string;
  postcode: string;
  agency: string;
  client: string;
  receivedAt: Date;
  outcome: (typeof OUTCOMES)[number] | 'not-accepted';
  id?: string;
}

export const letters = (n: number) => {
  let s = '';
  for (let k = 0; k < 6; k++) s += String.fromCharCode(65 + ((n >> (k * 4)) % 26));
  return s;
};

export function seedPeople(): Seeded[] {
  const rnd = lcg(20261124);
  const next = () => rnd.next().value as number;
  const start = Date.parse('2026-10-05T00:00:00Z'); // a Monday: four whole ISO weeks follow
  const people: Seeded[] = [];
  for (let i = 0; i < N; i++) {
    let nhs: string;
    do {
      const nine = String(100000000 + (next() % 899999999)).slice(0, 9);
      const check = nhsCheckDigit(nine);
      nhs = check === undefined ? '' : `${nine}${check}`;
    } while (!nhs || /^(\d)\1+$/.test(nhs));
    const [client, agency] = AGENCIES[next() % AGENCIES.length]!;
    const roll = next() % 10;
    people.push({
      i,
      givenName: `Zx${letters(next())}`,
      familyName: `Qv${letters(next())}`,
      dateOfBirth:
        `${1940 + (next() % 65)}-${String(1 + (next() % 12)).padStart(2, '0')}-` +
        `${String(1 + (next() % 28)).padStart(2, '0')}`,
      nhsNumber: nhs,
      phone: `+44 7700 9${String(next() % 100000).padStart(5, '0')}`,
      postcode: `MK4${next() % 10} ${next() % 10}Z${String.fromCharCode(65 + (next() % 26))}`,
      client,
      agency,
      receivedAt: new Date(start + (next() % (27 * 86_400_000))),
      outcome: roll === 0 ? 'not-accepted' : OUTCOMES[next() % OUTCOMES.length]!,
    });
  }
  return people;
}
