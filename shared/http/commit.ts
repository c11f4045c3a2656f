/**
 * A write's one transaction: the handler's items, the idempotency record holding the response,
 * and the audit record(s). If another request with the same Idempotency-Key committed first,
 * this one answers with that request's response (or 422 when the bodies differ).
 */
import { auditPut } from '../data/audit-repository.js';
import { findIdempotencyRecord, idempotencyPut } from '../data/idempotency-repository.js';
import { transact, type WriteItem } from '../data/transact.js';
import { auditRecordsFor } from './middleware/audit-reads.js';
import { replayResult, reusedKey } from './middleware/idempotency.js';
import type { AuditTarget, HttpResult } from './types.js';
import type { HubState } from './request-state.js';

export interface SerializedResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function serialize(result: HttpResult): SerializedResult {
  const raw = typeof result.body === 'string' && result.contentType !== undefined;
  return {
    statusCode: result.statusCode,
    headers: {
      ...(result.body === undefined ? {} : { 'Content-Type': result.contentType ?? 'application/json' }),
      ...(result.headers ?? {}),
    },
    body: result.body === undefined ? '' : raw ? (result.body as string) : JSON.stringify(result.body),
  };
}

class IdempotencyRace extends Error {
  override name = 'IdempotencyRace';
}

const asResult = (r: SerializedResult): HttpResult => ({
  statusCode: r.statusCode,
  headers: r.headers,
  body: r.body,
  contentType: r.headers['Content-Type'] ?? 'application/json',
});

export interface CommitInput {
  readonly items: readonly WriteItem[];
  readonly result: HttpResult;
  readonly audit: readonly AuditTarget[];
}

export async function commit(state: HubState, input: CommitInput, now: Date): Promise<HttpResult> {
  const caller = state.caller!;
  const response = serialize(input.result);
  const items: WriteItem[] = [];
  // First, because a transaction reports the first failed condition that it maps: when the same
  // request raced itself, the entity's condition fails too, but the answer is the replay.
  if (state.idempotency) {
    items.push({
      item: idempotencyPut(
        caller,
        state.idempotency.key,
        state.idempotency.requestHash,
        response,
        input.audit,
        now.getTime(),
      ),
      onConditionFailed: () => new IdempotencyRace(),
    });
  }
  items.push(...input.items);
  for (const record of auditRecordsFor(state, input.audit, input.result.statusCode, now))
    items.push({ item: auditPut(record) });
  try {
    await transact(items);
    return asResult(response);
  } catch (error) {
    if (!(error instanceof IdempotencyRace) || !state.idempotency) throw error;
    // The same key committed concurrently: answer as its replay would.
    const stored = await findIdempotencyRecord(caller, state.idempotency.key, Date.now());
    if (!stored) throw error;
    if (stored.requestHash !== state.idempotency.requestHash) throw reusedKey();
    // This request wrote nothing, so its audit is the replay's (appended by auditReads).
    return replayResult({ response: stored.response, audit: stored.audit });
  }
}
