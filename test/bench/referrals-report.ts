/**
 * The referral bench's report: latencies beside their bare DynamoDB calls, the write capacity of
 * a create and of an accept by AWS's rules, the board page's bytes and RCU, and the goals.
 */
import { HUB_INDEXES } from '../../shared/data/tables.js';
import { KB, itemSizeBytes, queryRcu } from './capacity.js';
import {
  HIGH_CONCURRENCY,
  censusText,
  met,
  perfRow,
  perfTable,
  phaseNotes,
  table,
  type PhaseResult,
} from './phases.js';
import { EVENT_ROUTE, type AcceptFigures } from './referral-accept.js';
import { BOARD_ROUTE, type BoardFigures } from './referral-board.js';
import { describeCall, isReferralState, type Item } from './referral-capture.js';
import type { CreateFigures } from './referral-create.js';
import { describeItem, keyOf, wcuOf, wcuTable, wcuTotal } from './wcu.js';

export const GOALS = { createRatio: 1.5, createWcu: 16, boardKb: 32, boardRcu: 4 } as const;

/** Everything the run measured, by section. */
export interface ReferralFigures {
  readonly runStarted: number;
  readonly phaseCapMs: number;
  readonly tables: { hub: string; audit: string };
  readonly create: CreateFigures;
  readonly accept: AcceptFigures;
  readonly board: BoardFigures;
}

export function referralReport({
  runStarted,
  phaseCapMs,
  tables,
  create,
  accept: transition,
  board,
}: ReferralFigures): string {
  const { accept, keyedAccept, change: acceptChange } = transition;
  const out: string[] = [];
  out.push(
    '',
    `AMHP Referral Hub bench: ${new Date().toISOString()}, DynamoDB Local in memory, local HTTP stack ` +
      `in-process (loopback)`,
  );
  out.push(
    `Latencies in ms per request (nearest-rank percentiles); "bare" = the same DynamoDB call(s) sent ` +
      `directly on the handlers' document client in this process.`,
    '',
  );
  out.push(
    perfTable([
      ...create.rows.map(([r, b]) => perfRow('POST /v1/referrals', r, b)),
      ...transition.rows.map(([r, b]) => perfRow(EVENT_ROUTE, r, b)),
      perfRow(BOARD_ROUTE, board.route, board.bare),
    ]),
  );
  out.push(
    `  bare for POST = every DynamoDB call one create makes, captured and replayed as the handler sends ` +
      `them: ${create.bareCalls}; the transaction with fresh keys.`,
  );
  out.push(
    `  bare for the accept = the accept's own calls, captured and replayed in order on another referral ` +
      `under review: ${[...accept.reads.map(describeCall), 'TransactWriteItems'].join(', ')} ` +
      (`(${accept.tx.map((t) => describeItem((t.Put?.Item ?? {}) as Item)).join(' + ')}); the state written ` +
        `= the state just read with the captured change applied `) +
      (`(${Object.keys(acceptChange.set).length} attributes set, ${acceptChange.removed.length} removed), ` +
        `on its own changeSeq; the event at its next key; a fresh audit id.`),
  );
  out.push('  bare for the board = one Query of the board index, Limit 100.');
  out.push(
    `  each accept is on its own referral (created in this run, start-review beforehand, not measured), ` +
      `If-Match its current ETag; dana.lead (amhp-lead) is the caller.`,
  );
  if (create.census) out.push(`  DynamoDB calls per POST at c=1: ${censusText(create.census)}`);
  if (transition.census) out.push(`  DynamoDB calls per accept at c=1: ${censusText(transition.census)}`);
  out.push(`  DynamoDB calls per board GET: ${censusText(board.census)}`);
  out.push(...phaseNotes([...create.rows.flat(), ...transition.rows.flat(), board.route, board.bare], phaseCapMs));

  // WCU per create.
  const lines = wcuOf(create.tx, tables);
  const createWcu = wcuTotal(lines);
  out.push(
    '',
    'Write capacity of one create by AWS rules (transactional item: 2 WCU per KB rounded up; each GSI ' +
      'entry of a new item: 1 WCU per KB)',
    '',
  );
  out.push(wcuTable(lines));
  const biggest = [...lines].sort((a, b) => b.total - a.total)[0];
  if (biggest) out.push(`  largest contributor: ${biggest.label} (${biggest.total} WCU of ${createWcu})`);
  const computedIndexWcu = lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
  out.push(
    `  as reported by DynamoDB Local (under-reports transactions): ${create.local.total} WCU  [${create.local.detail}]`,
  );
  out.push(
    `  Local's split: table items ${create.local.total - create.local.indexes}, GSI ` +
      `entries ${create.local.indexes} (computed above: ${createWcu - computedIndexWcu} ` +
      `and ${computedIndexWcu})` +
      (create.local.indexes === 2 * computedIndexWcu
        ? '; Local prices each GSI entry of a transaction at the transactional 2x rate'
        : ''),
  );

  // WCU per accept.
  const acceptLines = wcuOf(accept.tx, tables, new Map([[keyOf(accept.before), accept.before]]));
  const keyedLines = wcuOf(keyedAccept.tx, tables, new Map([[keyOf(keyedAccept.before), keyedAccept.before]]));
  const acceptWcu = wcuTotal(acceptLines);
  out.push(
    '',
    'Write capacity of one accept (POST /v1/referrals/{id}/events) by AWS rules (transactional item: 2 WCU ' +
      'per KB; the replaced state at the larger of before/after;',
    'GSI writes at 1 WCU per KB: an entry added or removed 1, an index key changed 2 (delete + put), a ' +
      'projected attribute changed 1 update, an unchanged entry none)',
    '',
  );
  out.push(wcuTable(acceptLines));
  const replaced = acceptLines.find((l) => l.before !== undefined);
  if (replaced)
    out.push(
      `  ${replaced.label}: ${replaced.before} bytes before, ` +
        `${itemSizeBytes(
          (accept.tx.find((t) => isReferralState(t.Put?.Item as Item | undefined))?.Put?.Item ?? {}) as Item,
        )}` +
        ` after`,
    );
  const keyRecord = keyedLines.find((l) => l.label === 'idempotency record');
  out.push(
    `  with an Idempotency-Key: ${wcuTotal(keyedLines)} ` +
      `WCU${keyRecord ? ` (+ idempotency record ${keyRecord.size} bytes, ${keyRecord.total} WCU)` : ''}`,
  );
  if (transition.local)
    out.push(
      `  as reported by DynamoDB Local (its own transactional accounting; printed, not ` +
        `used): ${transition.local.total} WCU  [${transition.local.detail}]`,
    );

  // Board read.
  const boardKb = board.entryBytes / KB;
  const boardRcu = queryRcu(board.entryBytes, true);
  out.push(
    '',
    `Board page read: one Query of the board GSI (projection ` +
      `INCLUDE ${HUB_INDEXES.board.projection.attributes.length} attributes + keys), eventually consistent`,
    '',
  );
  out.push(
    table(
      ['figure', 'value'],
      [
        ['index entries returned', String(board.entryCount)],
        ['bytes (entries as the Query returned them)', String(board.entryBytes)],
        ['bytes (stored items through the projection, cross-check)', String(board.projectedBytes)],
        [
          'mean / largest entry, bytes',
          `${board.entryCount ? Math.round(board.entryBytes / board.entryCount) : 0} / ${board.largestEntry}`,
        ],
        ['KB read', boardKb.toFixed(2)],
        ['RCU (0.5 per 4 KB of the response, rounded up)', String(boardRcu)],
        ['as reported by DynamoDB Local', String(board.localRcu ?? 'n/a')],
        ['same rows read from the table (full state items), KB', (board.storedStateBytes / KB).toFixed(2)],
        ['rows in the HTTP response', String(board.rows)],
      ],
      (c) => c === 1,
    ),
  );
  out.push(`  one board entry by attribute (bytes): ${board.entryParts.map(([n, b]) => `${n} ${b}`).join(', ')}`);
  if (board.auditTx) {
    const auditLines = wcuOf(board.auditTx, tables);
    const boardAuditWcu = wcuTotal(auditLines);
    const per = auditLines[0];
    out.push(
      `  side effect of one board page: the access audit writes ${auditLines.length} records in one ` +
        `TransactWriteItems = ${boardAuditWcu} WCU` +
        (per
          ? ` (each ${per.size} bytes: ${per.tableWcu} txn ` +
            `+ ${per.indexes.map((x) => `${x.index} ${x.wcu}`).join(' + ')})`
          : ''),
    );
  }

  // Goals.
  const [c1, c16] = create.rows;
  const goalRatio = (pair: [PhaseResult, PhaseResult] | undefined) => (pair ? pair[0].p50 / pair[1].p50 : Number.NaN);
  const goals = [
    `create p50 <= ${GOALS.createRatio}x bare at ` +
      `c=1: ${goalRatio(c1).toFixed(2)}x ${met(goalRatio(c1) <= GOALS.createRatio)}`,
    `at c=${HIGH_CONCURRENCY}: ${goalRatio(c16).toFixed(2)}x ${met(goalRatio(c16) <= GOALS.createRatio)}`,
    `create <= ${GOALS.createWcu} WCU: ${createWcu} ${met(createWcu <= GOALS.createWcu)}`,
    `board page <= ${GOALS.boardKb} KB: ${boardKb.toFixed(1)} KB ${met(boardKb <= GOALS.boardKb)}`,
    `<= ${GOALS.boardRcu} RCU: ${boardRcu} ${met(boardRcu <= GOALS.boardRcu)}`,
  ];
  out.push('', `Goals (ARCHITECTURE.md, informational): ${goals.join('; ')}.`);
  const [e1, e16] = transition.rows;
  out.push(
    `No stated goal for a transition: accept p50 ${goalRatio(e1).toFixed(2)}x bare at ` +
      `c=1, ${goalRatio(e16).toFixed(2)}x at c=${HIGH_CONCURRENCY}; ${acceptWcu} WCU (computed).`,
  );
  out.push(
    `Run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s. Figures from a shared machine are ` +
      `noisy; compare within one run only.`,
    '',
  );
  return `${out.join('\n')}\n`;
}
