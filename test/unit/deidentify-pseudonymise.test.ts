/**
 * Pseudonymisation (DOMAIN §7): keyed, stable, NHS number first, else normalised name and date of
 * birth; domain-separated so the two paths and fact keys never collide.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  factKeyOf,
  normaliseName,
  pseudonymousPersonKey,
  type PersonIdentity,
} from '../../shared/deidentify/pseudonymise.js';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const DANIEL: PersonIdentity = {
  givenName: 'Daniel',
  familyName: 'Marsh',
  dateOfBirth: '1992-03-08',
  nhsNumber: '9434765919',
};
const BY_NAME: PersonIdentity = { givenName: 'Daniel', familyName: 'Marsh', dateOfBirth: '1992-03-08' };
const key = (p: PersonIdentity, k = KEY) => pseudonymousPersonKey(p, k);

describe('pseudonymousPersonKey', () => {
  it('is stable and base64url of a 256-bit MAC', () => {
    const a = key(DANIEL);
    expect(a).toBe(key({ ...DANIEL }));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is keyed: another key gives another value, and it is not a plain hash', () => {
    expect(key(DANIEL, OTHER_KEY)).not.toBe(key(DANIEL));
    expect(key(BY_NAME, OTHER_KEY)).not.toBe(key(BY_NAME));
    const plain = (s: string) => createHash('sha256').update(s).digest('base64url');
    const unprefixed = createHmac('sha256', KEY).update('9434765919').digest('base64url');
    expect([plain('9434765919'), unprefixed]).not.toContain(key(DANIEL));
  });

  it.each<[string, PersonIdentity]>([
    ['a different name', { ...DANIEL, givenName: 'Danielle', familyName: 'Marshall' }],
    ['a different date of birth', { ...DANIEL, dateOfBirth: '1990-01-01' }],
    ['no name at all', { nhsNumber: '9434765919' }],
    ['the printed 3-3-4 spelling', { ...DANIEL, nhsNumber: '943 476 5919' }],
  ])('uses the NHS number when there is one: same key with %s', (_why, p) => {
    expect(key(p)).toBe(key(DANIEL));
  });

  it('uses the name and date of birth without an NHS number, and the two paths differ', () => {
    expect(key(BY_NAME)).toBeDefined();
    expect(key(BY_NAME)).not.toBe(key(DANIEL));
    expect(key({ ...BY_NAME, nhsNumber: '' })).toBe(key(BY_NAME));
    // An NHS number that is not ten digits cannot key the person: the name path is used.
    expect(key({ ...BY_NAME, nhsNumber: '12345' })).toBe(key(BY_NAME));
  });

  it.each<[string, PersonIdentity]>([
    ['upper case', { ...BY_NAME, givenName: 'DANIEL', familyName: 'MARSH' }],
    ['lower case', { ...BY_NAME, givenName: 'daniel', familyName: 'marsh' }],
    ['surrounding and inner spaces', { ...BY_NAME, givenName: '  Dan iel ', familyName: 'Mar sh' }],
    ['a hyphen', { ...BY_NAME, givenName: 'Dan-iel' }],
    ['an apostrophe', { ...BY_NAME, familyName: "Mar'sh" }],
    ['a curly apostrophe and a full stop', { ...BY_NAME, familyName: 'Mar\u2019sh.' }],
    ['a date of birth with spaces', { ...BY_NAME, dateOfBirth: ' 1992-03-08 ' }],
  ])('normalises names: same key with %s', (_why, p) => {
    expect(key(p)).toBe(key(BY_NAME));
  });

  it.each<[string, string, string]>([
    ["O'Brien", 'OBRIEN', 'apostrophe'],
    ['Smith-Jones', 'SMITHJONES', 'hyphen'],
    ['Zoë', 'ZOE', 'diaeresis folded'],
    ['Siobhán Ní Bhriain', 'SIOBHANNIBHRIAIN', 'fada folded'],
    ['Łukasz', 'ŁUKASZ', 'a letter with no decomposition is kept'],
    ['张伟', '张伟', 'non-Latin letters are kept, not dropped'],
    ['Anne 2nd', 'ANNEND', 'digits dropped'],
  ])('normaliseName(%s) = %s (%s)', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it.each<[string, PersonIdentity, PersonIdentity]>([
    [
      'given and family names are kept apart',
      { ...BY_NAME, givenName: 'Ann', familyName: 'Marie-Smith' },
      { ...BY_NAME, givenName: 'Ann-Marie', familyName: 'Smith' },
    ],
    [
      'given and family names are not interchangeable',
      { ...BY_NAME, givenName: 'Marsh', familyName: 'Daniel' },
      BY_NAME,
    ],
    [
      'non-Latin names of the same birthday differ',
      { ...BY_NAME, givenName: '伟', familyName: '张' },
      { ...BY_NAME, givenName: '芳', familyName: '王' },
    ],
  ])('%s', (_why, a, b) => {
    expect(key(a)).toBeDefined();
    expect(key(a)).not.toBe(key(b));
  });

  it.each<[string, PersonIdentity]>([
    ['an unidentified person', { identityUnknown: true }],
    ['an unidentified person, whatever else is given', { ...DANIEL, identityUnknown: true }],
    ['no date of birth', { givenName: 'Daniel', familyName: 'Marsh' }],
    ['no family name', { givenName: 'Daniel', dateOfBirth: '1992-03-08' }],
    ['a name of punctuation only', { ...BY_NAME, familyName: "-'" }],
    ['a date of birth that is not ISO', { ...BY_NAME, dateOfBirth: '08/03/1992' }],
  ])('is undefined for %s', (_why, p) => {
    expect(key(p)).toBeUndefined();
  });

  it.each([Buffer.alloc(0), Buffer.alloc(31, 1)])('refuses a key shorter than 32 bytes', (short) => {
    expect(() => key(DANIEL, short)).toThrow(RangeError);
    expect(() => factKeyOf('01J0000000000000000000000', short)).toThrow(RangeError);
  });
});

describe('factKeyOf', () => {
  const id = '01JD3S6W4Q8Z2N7K5B9X0C1V2M';
  it('is stable, keyed, and not the id or its plain hash', () => {
    expect(factKeyOf(id, KEY)).toBe(factKeyOf(id, KEY));
    expect(factKeyOf(id, OTHER_KEY)).not.toBe(factKeyOf(id, KEY));
    expect(factKeyOf(`${id}X`, KEY)).not.toBe(factKeyOf(id, KEY));
    expect(factKeyOf(id, KEY)).not.toContain(id);
    expect(factKeyOf(id, KEY)).not.toBe(createHash('sha256').update(id).digest('base64url'));
  });

  it('never equals a person key of the same string (domain separation)', () => {
    expect(factKeyOf('9434765919', KEY)).not.toBe(key({ nhsNumber: '9434765919' }));
  });

  it('refuses an empty id', () => {
    expect(() => factKeyOf('', KEY)).toThrow(RangeError);
  });
});
