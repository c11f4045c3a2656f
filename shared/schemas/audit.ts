/** Access audit records (DOMAIN §8) and the auditor's query. */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Cursor, Limit, Rfc3339, UtcTimestamp, page } from './common.js';

export const AuditRecord = z.object({
  auditId: z.string(),
  at: UtcTimestamp,
  organisationId: z.string(),
  clientId: z.string(),
  actorId: z.optional(z.string()),
  route: z.string(),
  method: z.string(),
  resourceType: z.enum([
    'referral',
    'amhp',
    'audit',
    'bed-unit',
    'place-of-safety',
    'subscription',
    'delivery',
    'extract',
    'duty-session',
    'check-in',
    'alert',
  ]),
  resourceId: z.string(),
  /** `replay`: a stored idempotent response was returned again to the caller that made the request. */
  action: z.enum(['read', 'create', 'update', 'event', 'delete', 'list', 'replay']),
  result: z.number().check(z.int()),
  correlationId: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z
  .strictObject({
    referralId: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(64))),
    organisationId: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(64))),
    from: z.optional(Rfc3339),
    to: z.optional(Rfc3339),
    limit: Limit,
    cursor: z.optional(Cursor),
  })
  .check(
    z.refine((q) => q.referralId || q.organisationId || (q.from && q.to), {
      message: 'give referralId, organisationId, or both from and to',
      path: ['referralId'],
    }),
  )
  .check(
    z.refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), {
      message: 'from must not be after to',
      path: ['from'],
    }),
  );
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = page(AuditRecord);
