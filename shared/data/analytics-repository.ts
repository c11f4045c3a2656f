/**
 * The `analytics` table: de-identified facts (one per referral, under its keyed hash, grouped by
 * LSSA and month so that record extracts are Queries) and roll-ups (one item per LSSA and day
 * whose attributes are counters, so an extract reads a year as ~365 items, not 5,000 facts).
 * Nothing here is identifiable; analysts' functions may read only this table.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './pages.js';
import { PK, SK, TTL_ATTRIBUTE } from './tables.js';
import type { DemandFact } from '../deidentify/facts.js';
import type { RollupDay } from '../deidentify/extracts.js';
import { ddb, tableName } from './client.js';

const month = (day: string) => day.slice(0, 7);

export const analyticsKeys = {
  fact: (lssa: string, day: string, factKey: string) => ({
    [PK]: `FACTS#${lssa}#${month(day)}`,
    [SK]: `FACT#${factKey}`,
  }),
  rollup: (lssa: string, day: string) => ({ [PK]: `ROLLUP#${lssa}`, [SK]: `DAY#${day}` }),
  capacity: (day: string) => ({ [PK]: 'CAPACITY', [SK]: `DAY#${day}` }),
};

export async function getFact(lssa: string, day: string, factKey: string): Promise<DemandFact | undefined> {
  const out = await ddb().send(
    new GetCommand({
      TableName: tableName('analytics'),
      Key: analyticsKeys.fact(lssa, day, factKey),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return undefined;
  const { [PK]: _p, [SK]: _s, ...fact } = out.Item;
  return fact as DemandFact;
}

export class FactMovedOn extends Error {
  override name = 'FactMovedOn';
}

export const counterUpdate = (delta: Record<string, number>) => {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(delta).map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return {
    UpdateExpression: `ADD ${parts.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/**
 * Stores the new fact and applies its roll-up delta together, conditional on the fact being
 * exactly the one the delta was computed from: a repeated or late record can neither count
 * twice nor roll a counter back.
 */
export async function applyFact(
  previous: DemandFact | undefined,
  next: DemandFact,
  delta: Record<string, number>,
): Promise<void> {
  const lssa = next.dims.lssa;
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName('analytics'),
              Item: { ...analyticsKeys.fact(lssa, next.receivedDay, next.factKey), ...next },
              ...(previous
                ? { ConditionExpression: 'changeSeq = :seq', ExpressionAttributeValues: { ':seq': previous.changeSeq } }
                : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }),
            },
          },
          ...(Object.keys(delta).length
            ? [
                {
                  Update: {
                    TableName: tableName('analytics'),
                    Key: analyticsKeys.rollup(lssa, next.receivedDay),
                    ...counterUpdate(delta),
                  },
                },
              ]
            : []),
        ],
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') throw new FactMovedOn();
    throw error;
  }
}

function queryRange(partition: string, from: string, to: string): Promise<Record<string, unknown>[]> {
  return queryAll(ddb(), {
    TableName: tableName('analytics'),
    KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#p': PK, '#s': SK },
    ExpressionAttributeValues: { ':p': partition, ':from': from, ':to': to },
  });
}

const countersOf = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k, v]) => k.includes('|') && typeof v === 'number')) as Record<
    string,
    number
  >;

export async function rollupDays(lssa: string, fromDay: string, toDay: string): Promise<RollupDay[]> {
  const items = await queryRange(`ROLLUP#${lssa}`, `DAY#${fromDay}`, `DAY#${toDay}`);
  return items.map((item) => ({ day: String(item[SK]).slice(4), lssa, counters: countersOf(item) }));
}

export async function factsOfMonth(lssa: string, yyyyMm: string): Promise<DemandFact[]> {
  const items = await queryRange(`FACTS#${lssa}#${yyyyMm}`, 'FACT#', 'FACT#~');
  return items.map(({ [PK]: _p, [SK]: _s, ...fact }) => fact as unknown as DemandFact);
}

/**
 * Adds one snapshot's capacity counters to its day, once: a marker per (unit, asOf) is written in
 * the same transaction, so a repeated record counts nothing. Returns false for a repeat.
 */
export async function addCapacityOnce(
  unitId: string,
  asOf: string,
  day: string,
  delta: Record<string, number>,
  nowMs = Date.now(),
): Promise<boolean> {
  try {
    await ddb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName('analytics'),
              // Markers outlive any replay of the stream (24 h; a local restart replays the same).
              Item: {
                [PK]: `SEEN#${unitId}`,
                [SK]: `ASOF#${asOf}`,
                [TTL_ATTRIBUTE]: Math.floor(nowMs / 1000) + 8 * 86_400,
              },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PK },
            },
          },
          { Update: { TableName: tableName('analytics'), Key: analyticsKeys.capacity(day), ...counterUpdate(delta) } },
        ],
      }),
    );
    return true;
  } catch (error) {
    // Already counted (the marker exists). Anything else, such as a transaction conflict on the
    // day's counters, is retried by the stream.
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (
      (error as { name?: string }).name === 'TransactionCanceledException' &&
      reasons[0]?.Code === 'ConditionalCheckFailed'
    )
      return false;
    throw error;
  }
}

export async function capacityDays(
  fromDay: string,
  toDay: string,
): Promise<{ day: string; counters: Record<string, number> }[]> {
  const items = await queryRange('CAPACITY', `DAY#${fromDay}`, `DAY#${toDay}`);
  return items.map((item) => ({ day: String(item[SK]).slice(4), counters: countersOf(item) }));
}
