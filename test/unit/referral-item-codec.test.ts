/**
 * The stored referral state (shared/data/referral-item-codec.ts): whatever is packed reads back as
 * the same record, by the repository and from a stream record's JSON; what the board index
 * projects and what a change's condition tests stay plain attributes; identifiable fields are
 * never plain; items written before compression read as they are.
 */
import { describe, expect, it } from 'vitest';
import { DETAIL_ATTRIBUTE, packState, unpackState } from '../../shared/data/referral-item-codec.js';
import { referralOfItem, stateItem } from '../../shared/data/referral-repository.js';
import { HUB_INDEXES } from '../../shared/data/tables.js';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { INTAKE_KINDS, received } from '../support/lifecycle-fixtures.js';
import { ALLOCATED_SAM, T0, walk } from './referral-transition.fixture.js';

/** A record as DynamoDB keeps it: no undefined values. */
const stored = (r: ReferralRecord) => JSON.parse(JSON.stringify(r)) as ReferralRecord;

const records: [string, ReferralRecord][] = [
  ...INTAKE_KINDS.map((kind): [string, ReferralRecord] => [`received (${kind})`, received(kind, T0)]),
  ['triaged and allocated (s136)', walk(received(INTAKE_KINDS[0], T0), ALLOCATED_SAM)],
];

describe('referral state as stored', () => {
  it.each(records)('%s: reads back as the same record', (_label, r) => {
    expect(referralOfItem(stateItem(r, 'NHS#k'))).toEqual(stored(r));
  });

  it.each(records)('%s: reads back from a stream record, where bytes are base64 text', (_label, r) => {
    const item = stateItem(r, undefined);
    const asJson = {
      ...item,
      [DETAIL_ATTRIBUTE]: Buffer.from(item[DETAIL_ATTRIBUTE] as Uint8Array).toString('base64'),
    };
    expect(referralOfItem(asJson)).toEqual(stored(r));
  });

  it.each(records)('%s: what the board projects and changeSeq stay plain; no identifiable field does', (_label, r) => {
    const item = stateItem(r, undefined);
    for (const name of [...HUB_INDEXES.board.projection.attributes, 'changeSeq'] as const) {
      const value = (r as unknown as Record<string, unknown>)[name];
      if (value !== undefined) expect(item[name], name).toEqual(value);
    }
    for (const name of ['person', 'referrer', 'reasonForReferral', 'risk', 'nearestRelative', 'clockFacts'])
      expect(item, name).not.toHaveProperty(name);
    const name = 'familyName' in r.person ? r.person.familyName : undefined;
    if (name) expect(JSON.stringify(item)).not.toContain(name);
  });

  it('an item written before compression (every field plain) reads as it is', () => {
    const r = stored(records[0]![1]);
    const legacy = { ...r, PK: `REFERRAL#${r.id}`, SK: 'STATE', boardPk: 'SERVICE#x#OPEN' };
    expect(referralOfItem(legacy)).toEqual(r);
    expect(unpackState(legacy)).toBe(legacy);
  });

  it('drops undefined fields, as DynamoDB would, and keeps falsy ones', () => {
    const packed = packState({ id: 'a', status: undefined, version: 0, note: '', flag: false, gone: undefined });
    expect(packed).not.toHaveProperty('status');
    expect(unpackState(packed)).toEqual({ id: 'a', version: 0, note: '', flag: false });
  });
});
