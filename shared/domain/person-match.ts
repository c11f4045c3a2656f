/**
 * The key that finds possible duplicate referrals (§2) without a table scan: a keyed hash of the NHS
 * number, or else of the normalised name and date of birth. Keyed so that the index does not
 * hold a dictionary-reversible hash of identifiers.
 */
import { createHmac } from 'node:crypto';

export interface PersonIdentifiers {
  readonly nhsNumber?: string | undefined;
  readonly givenName?: string | undefined;
  readonly familyName?: string | undefined;
  readonly dateOfBirth?: string | undefined;
}

const letters = (s: string) => s.toUpperCase().replace(/[^A-Z]/g, '');

/** Both keys a person can be matched on (either may be absent). */
export function personMatchKeys(person: PersonIdentifiers, key: Buffer): string[] {
  const mac = (value: string) => createHmac('sha256', key).update(value).digest('base64url');
  const keys: string[] = [];
  if (person.nhsNumber) keys.push(`NHS#${mac(`nhs:${person.nhsNumber.replace(/\s/g, '')}`)}`);
  if (person.givenName && person.familyName && person.dateOfBirth) {
    keys.push(`NDOB#${mac(`ndob:${letters(person.givenName)}|${letters(person.familyName)}|${person.dateOfBirth}`)}`);
  }
  return keys;
}
