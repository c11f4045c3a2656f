/**
 * (a) of the capacity-and-analytics bench, its set-up and its write capacity: bed units created
 * through PUT /v1/bed-units/{id} with a snapshot each, then one PUT /v1/bed-units/{id}/availability
 * with its DynamoDB calls recorded (without and with an Idempotency-Key), priced by AWS's rules:
 * the unit's state an update (at the larger of before and after, each GSI by what happens to the
 * entry), the snapshot and the audit new items.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PK, SK } from '../../shared/data/tables.js';
import { indexWritesOf, itemSizeBytes, transactionalWcu } from './capacity.js';
import { timed } from './capacity-synthetic.js';
import type { httpSender, Progress } from './harness.js';
import type { PhaseRunner } from './phases.js';
import { readState, readsOf, transactionOf, type CallRecorder, type RecordedCall } from './recorder.js';
import { LSSAS } from './referral-bodies.js';
import type { Item } from './referral-capture.js';
import { indexDefsOf, localCapacity, logicalTable } from './wcu.js';

const TABLE_KEYS = [PK, SK] as const;

/** What the bed sections share: one stack, one document client with its recorder, one phase runner. */
export interface BedBench {
  readonly ddb: () => DynamoDBDocumentClient;
  readonly tables: { hub: string; audit: string };
  readonly send: ReturnType<typeof httpSender>;
  readonly recorder: CallRecorder;
  readonly phase: PhaseRunner;
  readonly progress: Progress;
  /** provider-p-beds: creates its units and sends their availability. */
  readonly bedsToken: string;
}

const unitBody = (i: number) => ({
  name: `Bench Ward ${i} (adult acute)`,
  site: 'Northshire Mental Health Centre',
  icb: 'QHG',
  lssas: [LSSAS[i % 2]!],
  s140Designated: i % 3 !== 0,
  acceptsUnder18: i % 10 === 0,
  contactRoute: 'Bed management 24h: +44 1234 500100',
});

/** An availability snapshot's body: figures varied by `i`, as of `asOf`. */
export const availabilityBody = (i: number, asOf: string) => ({
  asOf,
  beds: [
    { bedType: 'adult-acute', sex: 'male', available: i % 4, total: 18, expectedDischargesToday: i % 2 },
    { bedType: 'adult-acute', sex: 'female', available: (i + 1) % 3, total: 16 },
  ],
});

export async function setUpUnits(bench: BedBench, units: number) {
  const { send, bedsToken, progress } = bench;
  progress(`(a) ${units} bed units and a snapshot each`);
  const runId = randomUUID().slice(0, 6);
  const unitIds = Array.from({ length: units }, (_, i) => `bench-${runId}-${String(i).padStart(3, '0')}`);
  const made = await timed(units, 8, async (i) => {
    const res = await send('PUT', `/v1/bed-units/${unitIds[i]}`, bedsToken, unitBody(i));
    if (res.status !== 201) throw new Error(`PUT bed unit answered ${res.status}: ${res.text.slice(0, 200)}`);
  });
  const firstAsOf = new Date(Date.now() - 10 * 60_000).toISOString();
  const snapped = await timed(units, 8, async (i) => {
    const path = `/v1/bed-units/${unitIds[i]}/availability`;
    const res = await send('PUT', path, bedsToken, availabilityBody(i, firstAsOf));
    if (res.status !== 200) throw new Error(`PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
  });
  if (made.errors || snapped.errors) progress(`(a) setup errors: ${made.firstError ?? ''} ${snapped.firstError ?? ''}`);
  return { unitIds, made, snapped };
}

/** One item of the update's transaction, priced. */
export interface UpdateLine {
  readonly label: string;
  readonly table: string;
  readonly size: number;
  readonly txn: number;
  readonly indexes: readonly { name: string; size: number; wcu: number }[];
}

export interface MeasuredUpdate {
  readonly unit: string;
  readonly asOf: string;
  readonly before: Item;
  readonly after: Item;
  /** The reads the update made, in order (the bare phase replays them). */
  readonly reads: RecordedCall[];
  /** The transaction, with DynamoDB Local's own capacity figure. */
  readonly tx: RecordedCall;
  readonly lines: UpdateLine[];
  /** DynamoDB Local's figure, printed beside the computed one. */
  readonly local: ReturnType<typeof localCapacity>;
}

export const totalWcu = (lines: readonly UpdateLine[]) =>
  lines.reduce((s, l) => s + l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);

/** One update measured; with a key the transaction also writes the idempotency record. */
export async function measureUpdate(bench: BedBench, unit: string, withKey: boolean): Promise<MeasuredUpdate> {
  const { ddb, tables, send, bedsToken, recorder } = bench;
  const before = await readState(ddb(), tables.hub, `BEDUNIT#${unit}`);
  const asOf = new Date(Date.now() - 1000).toISOString();
  const { value: res, calls } = await recorder.record(() =>
    send(
      'PUT',
      `/v1/bed-units/${unit}/availability`,
      bedsToken,
      availabilityBody(7, asOf),
      withKey ? { 'Idempotency-Key': randomUUID() } : {},
    ),
  );
  if (res.status !== 200)
    throw new Error(`measured PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
  const after = await readState(ddb(), tables.hub, `BEDUNIT#${unit}`);
  const tx = transactionOf(calls);
  if (!tx) throw new Error('No transaction was captured: the handlers do not share this document client');
  const lines = tx.items.map((t): UpdateLine => {
    const table = logicalTable((t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck)?.TableName, tables);
    const defs = indexDefsOf(table);
    if (t.Update) {
      // An update is priced at the larger of the item before and after; an index entry it
      // changes in place (keys unchanged) is one write of the entry at the larger size.
      const size = Math.max(itemSizeBytes(before), itemSizeBytes(after));
      const indexes = defs
        .flatMap((def) => indexWritesOf(before, after, def, TABLE_KEYS))
        .map((w) => ({ name: `${w.index}${w.kind === 'update' ? '' : ` ${w.kind}`}`, size: w.size, wcu: w.wcu }));
      return { label: 'unit state (update)', table, size, txn: transactionalWcu(size), indexes };
    }
    const item = (t.Put?.Item ?? {}) as Item;
    const size = itemSizeBytes(item);
    const indexes = defs
      .flatMap((def) => indexWritesOf(undefined, item, def, TABLE_KEYS))
      .map((w) => ({ name: w.index, size: w.size, wcu: w.wcu }));
    return { label: putLabel(item), table, size, txn: transactionalWcu(size), indexes };
  });
  // Local's detail as this report always printed it: `hub 6 (indexes …)`, no colon.
  const local = localCapacity({ ConsumedCapacity: tx.tx.consumed ?? [] }, tables, ' ');
  return { unit, asOf, before, after, reads: readsOf(calls), tx: tx.tx, lines, local };
}

function putLabel(item: Item): string {
  const pk = String(item[PK] ?? '');
  if (pk.startsWith('IDEMPOTENCY#')) return 'idempotency record';
  if (item.auditId !== undefined) return 'audit record';
  if (String(item[SK] ?? '').startsWith('SNAPSHOT#')) return 'snapshot (kept)';
  return pk.split('#')[0] || 'item';
}
