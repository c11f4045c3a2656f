/**
 * A referral with the detail level the caller may see it at (DOMAIN §1), or undefined when the
 * caller may not see it at all (the routes answer 404 then). One loader for every referral read.
 */
import type { Caller } from '../identity/caller.js';
import { accessOf, detailOf, type ReferralDetail } from '../domain/referral-access.js';
import type { ReferralRecord } from '../domain/referral.js';
import { viewerOf } from './amhp-repository.js';
import { getReferral } from './referral-repository.js';

export async function loadVisibleReferral(
  caller: Caller,
  id: string,
): Promise<{ record: ReferralRecord; detail: ReferralDetail } | undefined> {
  const found = await getReferral(id);
  const detail = found && detailOf(await viewerOf(caller), found.record);
  return found && detail ? { record: found.record, detail } : undefined;
}

/**
 * A referral for the FHIR facade: visible to the referrer and the AMHP service (the service then
 * meets the role check: 403); to anyone else it does not exist (404).
 */
export async function loadAccessibleReferral(caller: Caller, id: string): Promise<ReferralRecord | undefined> {
  const found = await getReferral(id);
  return found && accessOf(caller, found.record) ? found.record : undefined;
}
