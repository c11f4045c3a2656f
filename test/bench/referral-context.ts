/**
 * What the referral bench's sections (create, board, accept) share: one stack, one document
 * client with its recorder, one phase runner, and the pool of referrals the creates leave behind
 * for the transitions (each is used once, so every accept finds its referral under review).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Progress } from './harness.js';
import type { PhaseRunner } from './phases.js';
import type { CallRecorder } from './recorder.js';
import type { Target } from './referral-capture.js';

export interface ReferralBench {
  readonly url: string;
  readonly ddb: () => DynamoDBDocumentClient;
  readonly tables: { hub: string; audit: string };
  readonly recorder: CallRecorder;
  readonly phase: PhaseRunner;
  readonly progress: Progress;
  /** Set-up phases run longer than measured ones (they prepare thousands of referrals). */
  readonly setupCapMs: number;
  /** Referrals created in this run, still received: the transitions take them. */
  readonly received: Target[];
}
