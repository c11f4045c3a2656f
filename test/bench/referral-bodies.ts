/**
 * Request bodies for the referral bench: the J1 example with times just past and a different
 * person each time (about one in twenty a person referred earlier in the run).
 */
import { randomUUID } from 'node:crypto';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';

export const LSSAS = ['E06000055', 'E06000056'] as const; // both served by 'amhp-service'

const GIVEN = [
  'Daniel',
  'Aisha',
  'Tomasz',
  'Grace',
  'Kwame',
  'Siobhan',
  'Ravi',
  'Megan',
  'Oluwaseun',
  'Hannah',
  'Yusuf',
  'Chloe',
];
const FAMILY = [
  'Marsh',
  'Okafor',
  'Nowak',
  'Bennett',
  'Mensah',
  'Doyle',
  'Sharma',
  'Hughes',
  'Adeyemi',
  'Clarke',
  'Rahman',
  'Walsh',
];
/** Letters only (the name+date-of-birth match key ignores anything else), unique per n. */
const letterTag = (n: number): string => {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
};

let nhsCursor = 400_000_000 + Math.floor(Math.random() * 100_000_000);
function nextNhsNumber(): string {
  for (;;) {
    const nine = String(nhsCursor++ % 1_000_000_000).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== undefined && !/^(\d)\1{8}$/.test(nine)) return `${nine}${check}`;
  }
}

interface PersonSeed {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string;
}

const people: PersonSeed[] = [];
let personCounter = Math.floor(Math.random() * 10_000);

/** Mostly a new person; about one in twenty a person referred earlier in the run (a possible duplicate). */
function nextPerson(allowRepeat: boolean): PersonSeed {
  if (allowRepeat && people.length > 20 && Math.random() < 0.05)
    return people[Math.floor(Math.random() * people.length)]!;
  const n = personCounter++;
  const dob = new Date(Date.UTC(1950, 0, 1) + ((n * 7919) % 18_000) * 86_400_000).toISOString().slice(0, 10);
  const person = {
    givenName: GIVEN[n % GIVEN.length]!,
    familyName: `${FAMILY[(n * 5) % FAMILY.length]!}${letterTag(n)}`,
    dateOfBirth: dob,
    nhsNumber: nextNhsNumber(),
  };
  people.push(person);
  return person;
}

export function createBody(i: number, allowRepeat = true): string {
  const now = Date.now();
  const body = structuredClone(REFERRAL_CREATE_EXAMPLE) as Record<string, any>;
  body.person = { ...body.person, ...nextPerson(allowRepeat) };
  body.responsibleLssa = LSSAS[i % LSSAS.length];
  body.legalStatus = {
    ...body.legalStatus,
    detainedAt: new Date(now - 50 * 60_000).toISOString(),
    arrivedAtPlaceOfSafetyAt: new Date(now - 15 * 60_000).toISOString(),
  };
  body.referrer = { ...body.referrer, referrerReference: `INC-${i}-${randomUUID().slice(0, 8)}` };
  return JSON.stringify(body);
}
