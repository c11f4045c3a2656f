/**
 * Whose audit trail an auditor reads (DOMAIN §1, auditor row): its own organisation's — records
 * whose actor is of that organisation, or whose referral was made by it or falls to its AMHP
 * service — never another organisation's. Pure: the referrals named are looked up by the caller.
 */
import type { AuditRecord } from '../schemas/audit.js';
import type { ReferralRecord } from './referral.js';

/** The organisation ids that count as the auditor's own: itself and the AMHP service it runs. */
export const auditScopeOf = (organisation: {
  organisationId: string;
  amhpServiceId?: string | undefined;
}): ReadonlySet<string> =>
  new Set([organisation.organisationId, ...(organisation.amhpServiceId ? [organisation.amhpServiceId] : [])]);

/** Referrals whose ownership decides a record the actor rule alone does not admit. */
export const referralsToCheck = (records: readonly AuditRecord[], scope: ReadonlySet<string>): string[] => [
  ...new Set(
    records.filter((r) => !scope.has(r.organisationId) && r.resourceType === 'referral').map((r) => r.resourceId),
  ),
];

export function inAuditScope(
  record: AuditRecord,
  scope: ReadonlySet<string>,
  referrals: ReadonlyMap<string, Pick<ReferralRecord, 'serviceId' | 'referrer'>>,
): boolean {
  if (scope.has(record.organisationId)) return true;
  if (record.resourceType !== 'referral') return false;
  const referral = referrals.get(record.resourceId);
  return !!referral && (scope.has(referral.referrer.organisationId) || scope.has(referral.serviceId));
}
