/**
 * The benches' one hook on the handlers' document client (both benches used to add their own
 * copy): while `record` runs, every DynamoDB call the handlers make is kept (low-level name and a
 * copy of its document-form input) so a "bare" phase can replay it; while a census runs, every
 * call is counted and timed (marshalling and retries included). Also the consistent read of one
 * stored state item that both benches take around a measured write (its "before" size prices it).
 */
import { performance } from 'node:perf_hooks';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PK, SK } from '../../shared/data/tables.js';
import { Census, type CapturedCall } from './phases.js';
import type { Item, TransactItems } from './referral-capture.js';
import type { Consumed } from './wcu.js';

/** A recorded call; a transaction also carries DynamoDB Local's capacity figure when asked for. */
export interface RecordedCall extends CapturedCall {
  consumed?: NonNullable<Consumed['ConsumedCapacity']>;
}

export class CallRecorder {
  readonly census = new Census();
  private recording: RecordedCall[] | undefined;

  /**
   * `askConsumed`: a recorded transaction asks DynamoDB Local for its capacity figure (the copy
   * kept for the replay is taken before, so a replay does not ask unless told).
   */
  constructor(client: DynamoDBDocumentClient, askConsumed = false) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = (context.commandName ?? 'call').replace(/Command$/, '');
        // Taken when the call starts: a call belongs to the census or recording it began in.
        const counting = this.census.running;
        const recording = this.recording;
        const t0 = performance.now();
        try {
          if (!recording) return await next(args);
          const input = args.input as Record<string, unknown>;
          const call: RecordedCall = { name, input: structuredClone(input) };
          recording.push(call);
          if (!askConsumed || !input.TransactItems) return await next(args);
          input.ReturnConsumedCapacity = 'INDEXES';
          const result = await next(args);
          call.consumed = (result.output as Consumed).ConsumedCapacity ?? [];
          return result;
        } finally {
          if (counting) Census.add(counting, name, performance.now() - t0);
        }
      },
      { step: 'initialize', name: 'benchRecordCalls' },
    );
  }

  /** Runs `fn` and returns what it returned with every DynamoDB call made meanwhile. */
  async record<T>(fn: () => Promise<T>): Promise<{ value: T; calls: RecordedCall[] }> {
    const calls: RecordedCall[] = [];
    this.recording = calls;
    try {
      return { value: await fn(), calls };
    } finally {
      this.recording = undefined;
    }
  }
}

/**
 * The recorded transaction (the last, when there were several; with `mentioning`, the last that
 * holds that string, e.g. the request's Idempotency-Key or referral id, so a stream consumer's
 * write recorded meanwhile is never taken for the request's).
 */
export function transactionOf(
  calls: readonly RecordedCall[],
  mentioning?: string,
): { tx: RecordedCall; items: TransactItems } | undefined {
  const tx = calls.findLast(
    (c) => c.name === 'TransactWriteItems' && (!mentioning || JSON.stringify(c.input).includes(mentioning)),
  );
  return tx ? { tx, items: tx.input.TransactItems as TransactItems } : undefined;
}

/** Every recorded call but the transaction(s): the reads a write makes, in order. */
export const readsOf = (calls: readonly RecordedCall[]): RecordedCall[] =>
  calls.filter((c) => c.name !== 'TransactWriteItems');

/** A `…/STATE` item read consistently (the write before it is seen), `{}` when there is none. */
export async function readState(client: DynamoDBDocumentClient, tableName: string, pk: string): Promise<Item> {
  const out = await client.send(
    new GetCommand({ TableName: tableName, Key: { [PK]: pk, [SK]: 'STATE' }, ConsistentRead: true }),
  );
  return (out.Item ?? {}) as Item;
}
