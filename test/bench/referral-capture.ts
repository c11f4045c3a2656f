/**
 * Capturing a write's transaction and replaying it with fresh keys, for the referral bench's
 * "bare" figures.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SK } from '../../shared/data/tables.js';
import { sameValue } from './capacity.js';
import { replaceStrings, type CapturedCall } from './phases.js';

export type Item = Record<string, unknown>;
export type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * The unique parts of a captured create (referral id, idempotency key, audit ids), each replaced by a fresh value of
 * the same length.
 */
export function freshKeysFor(items: TransactItems, referralId: string, idempotencyKey: string): () => TransactItems {
  const auditIds = auditIdsOf(items);
  return () => {
    const map = new Map<string, string>([
      [referralId, ulid()],
      [idempotencyKey, randomUUID()],
      ...auditIds.map((a): [string, string] => [a, ulid()]),
    ]);
    return replaceStrings(items, map);
  };
}

export const auditIdsOf = (items: TransactItems): string[] =>
  items.map((t) => t.Put?.Item?.auditId).filter((v): v is string => typeof v === 'string');

export const isReferralState = (item: Item | undefined): boolean =>
  Boolean(item && item[SK] === 'STATE' && String(item[PK]).startsWith('REFERRAL#'));

/** A referral created in this run: what a transition on it needs. */
export interface Target {
  readonly id: string;
  readonly reference: string;
  /** The ETag of its current version. */
  readonly etag: string;
}

/** The referral a create's transaction writes. */
export function targetOfCreate(items: TransactItems): Target | undefined {
  const state = items.map((t) => t.Put?.Item as Item | undefined).find(isReferralState);
  return state
    ? { id: String(state.id), reference: String(state.reference), etag: `"${Number(state.version)}"` }
    : undefined;
}

/** What a change did to a stored item: attributes set (new or different values) and attributes removed. */
export interface ItemChange {
  readonly set: Item;
  readonly removed: readonly string[];
}

export function changeOf(before: Item, after: Item): ItemChange {
  const set: Item = {};
  for (const [k, v] of Object.entries(after)) if (v !== undefined && !sameValue(v, before[k])) set[k] = v;
  const removed = Object.keys(before).filter((k) => after[k] === undefined);
  return { set, removed };
}

/**
 * A captured transition re-aimed at another referral's state, just read: the state item becomes
 * that state with the captured change applied (so its own person, board and clock keys stay, as
 * they would through the handler), conditional on its changeSeq; the event takes the next key.
 */
export function retarget(items: TransactItems, state: Item, change: ItemChange): void {
  const seq = Number(state.changeSeq);
  const version = Number(state.version);
  for (const t of items) {
    const put = t.Put;
    const item = put?.Item as Item | undefined;
    if (!put || !item) continue;
    if (isReferralState(item)) {
      const next: Item = { ...state, ...change.set, changeSeq: seq + 1, version: version + 1 };
      for (const k of change.removed) delete next[k];
      put.Item = next;
      if (put.ExpressionAttributeValues && ':seq' in put.ExpressionAttributeValues)
        put.ExpressionAttributeValues[':seq'] = seq;
    } else if (String(item[PK]).startsWith('REFERRAL#') && String(item[SK]).startsWith('EVENT#')) {
      item[SK] = `EVENT#${String(seq + 1).padStart(8, '0')}`;
      item.seq = seq + 1;
    }
  }
}

/** `GetItem REFERRAL#…/STATE`: a captured call, briefly. */
export function describeCall(call: CapturedCall): string {
  const key = call.input.Key as Item | undefined;
  if (key) return `${call.name} ${String(key[PK]).split('#')[0]}#…/${String(key[SK]).split('#')[0]}`;
  if (typeof call.input.IndexName === 'string') return `${call.name} ${call.input.IndexName} index`;
  return call.name;
}
