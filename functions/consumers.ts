import type { ConsumerDef } from './schedules.js';

/** Stream consumers of the Hub; each arrives with its first real use (feedback, analytics). */
export const CONSUMERS: readonly ConsumerDef[] = [];
