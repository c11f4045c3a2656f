/**
 * One TransactWriteItems per change, with each item's failed condition mapped to what it means
 * (a stale version is 412, an existing key is 409 ...). A transaction cancelled only by a
 * concurrent transaction on the same items is retried: its conditions are re-evaluated.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './client.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface WriteItem {
  readonly item: TransactItem;
  /** What a failed condition on this item means; without one it is a 409 conflict. */
  readonly onConditionFailed?: () => Error;
}

export class ConditionFailed extends Error {
  override name = 'ConditionFailed';
  constructor(readonly index: number) {
    super(`Condition failed on transaction item ${index}`);
  }
}

interface CancellationReason {
  Code?: string;
}

const MAX_CONFLICT_RETRIES = 4;

export async function transact(items: readonly WriteItem[]): Promise<void> {
  if (items.length === 0) return;
  if (items.length > 100) throw new Error('A transaction holds at most 100 items');
  for (let attempt = 0; ; attempt++) {
    try {
      await ddb().send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
      return;
    } catch (error) {
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
      const reasons = ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ??
        []) as CancellationReason[];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw items[failed]?.onConditionFailed?.() ?? new ConditionFailed(failed);
      const conflictOnly =
        reasons.length > 0 && reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'TransactionConflict');
      if (!conflictOnly || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
    }
  }
}
