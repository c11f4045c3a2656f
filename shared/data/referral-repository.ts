/**
 * Referrals in `hub`: the state item (`REFERRAL#<id>` / `STATE`) carries the sparse index keys
 * (board, referrer feed, reference, person, open clocks); each change appends an event item
 * (`EVENT#<changeSeq>`) in the same transaction, so history has no gaps and no orphans.
 */
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './pages.js';
import { HUB_INDEXES, PK, SK } from './tables.js';
import { ReadIncomplete } from '../domain/errors.js';
import { decodeTime } from 'ulid';
import {
  boardClocksOf,
  boardSortKey,
  nextClockDeadline,
  urgencyOfRank,
  type BoardClock,
  type ReferralRecord,
} from '../domain/referral.js';
import { isOpen } from '../domain/lifecycle.js';
import { openFlags } from '../domain/referral-flags.js';
import { waitingFor, type WaitingFor } from '../domain/logistics.js';
import { nextLadderDeadline } from '../domain/bed-ladder.js';
import { ddb, tableName } from './client.js';
import type { WriteItem } from './transact.js';
import { packState, unpackState } from './referral-item-codec.js';
import type { EventSubject, StoredEvent } from '../../events/schemas/referral-event.js';

export const referralKeys = {
  state: (id: string) => ({ [PK]: `REFERRAL#${id}`, [SK]: 'STATE' }),
  event: (id: string, seq: number) => ({ [PK]: `REFERRAL#${id}`, [SK]: `EVENT#${String(seq).padStart(8, '0')}` }),
  threshold: (id: string, key: string) => ({ [PK]: `REFERRAL#${id}`, [SK]: `THRESHOLD#${key}` }),
  /** Earlier creates wrote the second person key as an item of its own; the index still finds those. */
  personMarker: (id: string) => ({ [PK]: `REFERRAL#${id}`, [SK]: 'PERSONKEY#2' }),
  ladder: (id: string) => ({ [PK]: `REFERRAL#${id}`, [SK]: 'LADDER' }),
  ladderStep: (id: string, key: string) => ({ [PK]: `REFERRAL#${id}`, [SK]: `LADDERSTEP#${key}` }),
};

/**
 * The ladder sweep's entry of a referral with a bed-finding ladder (DOMAIN §9): a small item in
 * the sparse area index by the next step target not yet escalated, holding no referral data
 * (the area index projects whole items). Without a due step it is put without the index keys,
 * which takes it out of the index: every writer has PutItem, none needs DeleteItem.
 */
export function ladderItem(r: ReferralRecord): WriteItem {
  const deadline = isOpen(r.status) ? nextLadderDeadline(r.bedLadders) : undefined;
  return {
    item: {
      Put: {
        TableName: tableName('hub'),
        Item: {
          ...referralKeys.ladder(r.id),
          referralId: r.id,
          ...(deadline
            ? {
                [HUB_INDEXES.capacity.partitionKey.name]: LADDER_DUE_PARTITION,
                [HUB_INDEXES.capacity.sortKey.name]: `${deadline}#${r.id}`,
              }
            : {}),
        },
      },
    },
  };
}

export const boardPartition = (serviceId: string) => `SERVICE#${serviceId}#OPEN`;
export const feedPartition = (organisationId: string) => `ORG#${organisationId}`;
export const OPEN_CLOCKS_PARTITION = 'CLOCKS#OPEN';
/** Referrals whose bed-finding ladder has a step not yet escalated, in the area index by its target (DOMAIN §9). */
export const LADDER_DUE_PARTITION = 'LADDER#DUE';

/** The stored event and its subject: schemas in events/schemas/referral-event.ts. */
export type { EventSubject, StoredEvent } from '../../events/schemas/referral-event.js';

export const subjectOf = (r: ReferralRecord): EventSubject => ({
  referralId: r.id,
  reference: r.reference,
  referrerReference: r.referrer.referrerReference,
  status: r.status,
  referrerOrganisationId: r.referrer.organisationId,
  serviceId: r.serviceId,
  ...(r.correlationId ? { correlationId: r.correlationId } : {}),
});

/** The state item with its index keys; an index key is absent when the item must leave that index. */
export function stateItem(r: ReferralRecord, personKey: string | undefined): Record<string, unknown> {
  const deadline = nextClockDeadline(r);
  return {
    ...packState(r),
    ...referralKeys.state(r.id),
    ...(isOpen(r.status)
      ? {
          [HUB_INDEXES.board.partitionKey.name]: boardPartition(r.serviceId),
          [HUB_INDEXES.board.sortKey.name]: boardSortKey(r),
          boardClocks: boardClocksOf(r.clocks),
        }
      : {}),
    allocatedAmhpId: r.allocation?.amhpId,
    legalStatusCode: r.legalStatus.status,
    // Flags stand on the board row until resolved (DOMAIN §2, §3.1); absent when none.
    ...(openFlags(r.flags).length ? { openFlags: openFlags(r.flags) } : {}),
    // Open requests stand on the board row as "waiting for" (DOMAIN §9); absent when none.
    ...(isOpen(r.status) && waitingFor(r.logistics).length ? { waitingFor: waitingFor(r.logistics) } : {}),
    [HUB_INDEXES.feed.partitionKey.name]: feedPartition(r.referrer.organisationId),
    // Time first, so the feed is ascending by when the referral last changed.
    [HUB_INDEXES.feed.sortKey.name]: `${r.updatedAt}#${r.id}`,
    [HUB_INDEXES.reference.partitionKey.name]: `REF#${r.reference}`,
    ...(personKey
      ? {
          [HUB_INDEXES.person.partitionKey.name]: personKey,
          [HUB_INDEXES.person.sortKey.name]: `${r.receivedAt}#${r.id}`,
        }
      : {}),
    ...(deadline
      ? {
          [HUB_INDEXES.clocks.partitionKey.name]: OPEN_CLOCKS_PARTITION,
          [HUB_INDEXES.clocks.sortKey.name]: `${deadline}#${r.id}`,
        }
      : {}),
  };
}

/** The record in a stored state item, or in a stream record's image of one (unmarshalled). */
export const referralOfItem = (item: Record<string, unknown>): ReferralRecord => stripState(unpackState(item));

const stripState = (item: Record<string, unknown>): ReferralRecord => {
  const {
    [PK]: _p,
    [SK]: _s,
    boardPk: _bp,
    boardSk: _bs,
    boardClocks: _bc,
    feedPk: _fp,
    feedSk: _fs,
    referenceKey: _r,
    personKey: _pk,
    personSk: _ps,
    clockPk: _cp,
    clockSk: _cs,
    allocatedAmhpId: _a,
    legalStatusCode: _l,
    openFlags: _of,
    waitingFor: _w,
    ...rest
  } = item;
  return rest as unknown as ReferralRecord;
};

export const eventItem = (id: string, event: StoredEvent) => ({ ...referralKeys.event(id, event.seq), ...event });

const stripEvent = (item: Record<string, unknown>): StoredEvent => {
  const { [PK]: _p, [SK]: _s, personKey: _pk, personSk: _ps, ...rest } = item;
  return rest as unknown as StoredEvent;
};

/**
 * The create: state and its `received` event. The second person key, when there is one, rides on
 * that event item (written once, never changed, like the key itself): one more `person` index
 * entry (1 WCU) instead of an item of its own (2 WCU in the transaction + its index entry).
 */
export function createItems(r: ReferralRecord, event: StoredEvent, personKeys: readonly string[]): WriteItem[] {
  const secondKey = personKeys[1]
    ? {
        [HUB_INDEXES.person.partitionKey.name]: personKeys[1],
        [HUB_INDEXES.person.sortKey.name]: `${r.receivedAt}#${r.id}`,
      }
    : {};
  return [
    {
      item: {
        Put: {
          TableName: tableName('hub'),
          Item: stateItem(r, personKeys[0]),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      onConditionFailed: () => new Error('referral id collision'),
    },
    {
      item: {
        Put: {
          TableName: tableName('hub'),
          Item: { ...eventItem(r.id, event), ...secondKey },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
    },
  ];
}

export class StaleChangeSeq extends Error {
  override name = 'StaleChangeSeq';
}

/**
 * A change: the new state, conditional on the change sequence it was computed from (so a
 * concurrent system event is never overwritten), and its event item.
 */
export function changeItems(
  r: ReferralRecord,
  previousChangeSeq: number,
  events: readonly StoredEvent[],
  personKey: string | undefined,
): WriteItem[] {
  return [
    {
      item: {
        Put: {
          TableName: tableName('hub'),
          Item: stateItem(r, personKey),
          ConditionExpression: 'changeSeq = :seq',
          ExpressionAttributeValues: { ':seq': previousChangeSeq },
        },
      },
      onConditionFailed: () => new StaleChangeSeq(),
    },
    ...events.map((e) => ({
      item: {
        Put: {
          TableName: tableName('hub'),
          Item: eventItem(r.id, e),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      onConditionFailed: () => new StaleChangeSeq(),
    })),
    ...(r.bedLadders?.length ? [ladderItem(r)] : []),
  ];
}

export async function getReferral(
  id: string,
): Promise<{ record: ReferralRecord; personKey: string | undefined } | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: referralKeys.state(id), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  return { record: referralOfItem(out.Item), personKey: out.Item.personKey as string | undefined };
}

export async function getReferrals(ids: readonly string[]): Promise<ReferralRecord[]> {
  const unique = [...new Set(ids)];
  const out: ReferralRecord[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((id) => referralKeys.state(id));
    for (let attempt = 0; keys.length && attempt < 5; attempt++) {
      const res = await ddb().send(new BatchGetCommand({ RequestItems: { [tableName('hub')]: { Keys: keys } } }));
      out.push(...(res.Responses?.[tableName('hub')] ?? []).map(referralOfItem));
      keys = (res.UnprocessedKeys?.[tableName('hub')]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    if (keys.length) throw new ReadIncomplete('Could not read every referral; try again.');
  }
  const order = new Map(unique.map((id, i) => [id, i]));
  return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/**
 * Every referral id filed under a reference. References are 35 random bits with no reservation,
 * so two referrals can share one (a few percent over the Hub's lifetime at tens of thousands of
 * referrals); a phone lookup must show both rather than one at random. Beyond a handful is not a
 * collision but a fault, hence the bound.
 */
export async function idsByReference(reference: string): Promise<string[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.reference.indexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': HUB_INDEXES.reference.partitionKey.name },
      ExpressionAttributeValues: { ':k': `REF#${reference}` },
      Limit: 10,
    }),
  );
  // Oldest first (ids are ULIDs), so the answer does not depend on the index's order.
  return [...new Set((out.Items ?? []).map((item) => String(item[PK]).slice('REFERRAL#'.length)))].sort();
}

/** Referral ids recorded under any of these person keys (open or not: the caller checks). */
export async function idsByPersonKeys(keys: readonly string[]): Promise<string[]> {
  // Independent lookups: in parallel, so a second key costs no extra round trip.
  const pages = await Promise.all(
    keys.map((key) =>
      ddb().send(
        new QueryCommand({
          TableName: tableName('hub'),
          IndexName: HUB_INDEXES.person.indexName,
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': HUB_INDEXES.person.partitionKey.name },
          ExpressionAttributeValues: { ':k': key },
          ScanIndexForward: false,
          Limit: 20,
        }),
      ),
    ),
  );
  return [
    ...new Set(pages.flatMap((out) => (out.Items ?? []).map((item) => String(item[PK]).slice('REFERRAL#'.length)))),
  ];
}

export interface BoardRow {
  id: string;
  reference: string;
  status: string;
  urgency: string;
  legalStatus: string;
  responsibleLssa: string;
  receivedAt: string;
  clocks: BoardClock[];
  allocatedAmhpId?: string;
  /** Open flags (DOMAIN §2, §3.1). */
  flags: string[];
  /** Open requests, longest waiting first (DOMAIN §9). */
  waitingFor: WaitingFor[];
  lastEvent: ReferralRecord['lastEvent'];
  version: number;
}

export async function boardPage(serviceId: string, limit: number, startKey?: Record<string, unknown>) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.board.indexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': HUB_INDEXES.board.partitionKey.name },
      ExpressionAttributeValues: { ':k': boardPartition(serviceId) },
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  const rows = (out.Items ?? []).map((item): BoardRow => {
    const id = String(item[PK]).slice('REFERRAL#'.length);
    return {
      id,
      reference: item.reference,
      status: item.status,
      urgency: urgencyOfRank(String(item[HUB_INDEXES.board.sortKey.name]).split('#')[1] ?? ''),
      legalStatus: item.legalStatusCode,
      responsibleLssa: item.responsibleLssa,
      receivedAt: new Date(decodeTime(id)).toISOString(),
      clocks: item.boardClocks ?? [],
      ...(item.allocatedAmhpId ? { allocatedAmhpId: item.allocatedAmhpId } : {}),
      flags: item.openFlags ?? [],
      waitingFor: item.waitingFor ?? [],
      lastEvent: item.lastEvent,
      version: item.version,
    };
  });
  return { rows, lastKey: out.LastEvaluatedKey, consumed: out.ConsumedCapacity?.CapacityUnits };
}

export async function feedPage(
  organisationId: string,
  afterSortKey: string | undefined,
  before: string,
  limit: number,
) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.feed.indexName,
      KeyConditionExpression: '#k = :k AND #s BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#k': HUB_INDEXES.feed.partitionKey.name, '#s': HUB_INDEXES.feed.sortKey.name },
      // BETWEEN is inclusive; '#~' sorts after any '#<id>' so the cursor's own item is excluded.
      ExpressionAttributeValues: {
        ':k': feedPartition(organisationId),
        ':from': afterSortKey ? `${afterSortKey}~` : '0',
        ':to': before,
      },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({
    id: String(i[PK]).slice('REFERRAL#'.length),
    sortKey: String(i[HUB_INDEXES.feed.sortKey.name]),
  }));
}

export async function openClockReferralIds(upTo: string, limit = 100): Promise<string[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.clocks.indexName,
      KeyConditionExpression: '#k = :k AND #s <= :to',
      ExpressionAttributeNames: { '#k': HUB_INDEXES.clocks.partitionKey.name, '#s': HUB_INDEXES.clocks.sortKey.name },
      ExpressionAttributeValues: { ':k': OPEN_CLOCKS_PARTITION, ':to': `${upTo}~` },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => String(i[PK]).slice('REFERRAL#'.length));
}

export async function listEvents(id: string): Promise<StoredEvent[]> {
  const items = await queryAll(ddb(), {
    TableName: tableName('hub'),
    KeyConditionExpression: '#p = :p AND begins_with(#s, :e)',
    ExpressionAttributeNames: { '#p': PK, '#s': SK },
    ExpressionAttributeValues: { ':p': `REFERRAL#${id}`, ':e': 'EVENT#' },
    ConsistentRead: true,
  });
  return items.map(stripEvent);
}
