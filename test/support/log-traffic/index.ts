/**
 * The log scan's traffic (test/integration/log-scan.test.ts), area by area in the order it has
 * always run: the J1 journey and its reads, the other referrals, the refusals, capacity,
 * subscriptions, whereabouts and alerts, audit and extracts, and last an unknown error.
 */
import type { TrafficClient } from './client.js';
import { driveAuditAndExtracts } from './audit-extracts.js';
import { driveCapacity } from './capacity.js';
import { driveJ1, driveReads } from './journey.js';
import { driveDuplicate, driveWithdrawal } from './other-referrals.js';
import { driveCrash, driveIntakeErrors, driveNotFound } from './refusals.js';
import { driveSafety } from './safety.js';
import { driveSubscriptions } from './subscriptions.js';

export { hits, M, MARKERS, NHS_DIGITS, NHS_SPACED } from './markers.js';
export { logScanTokens, trafficClient, type TrafficClient } from './client.js';

/** Drives every area once; returns the referral Alex checks in at (see ./safety.ts). */
export async function driveTraffic(c: TrafficClient): Promise<{ whereaboutsReferralId: string }> {
  const { id, reference } = await driveJ1(c);
  await driveReads(c, id, reference);
  await driveDuplicate(c);
  await driveWithdrawal(c);
  await driveIntakeErrors(c);
  await driveNotFound(c, id);
  await driveCapacity(c);
  await driveSubscriptions(c, id);
  const whereaboutsReferralId = await driveSafety(c);
  await driveAuditAndExtracts(c, id);
  await driveCrash(c);
  return { whereaboutsReferralId };
}
