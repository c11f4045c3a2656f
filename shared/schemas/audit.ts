/** Access audit records (DOMAIN §8) and the auditor's query. */
import * as z from 'zod';
import { Cursor, Limit, Rfc3339, UtcTimestamp, page } from './common.js';

export const AuditRecord = z.object({
  auditId: z.string(),
  at: UtcTimestamp,
  organisationId: z.string(),
  clientId: z.string(),
  actorId: z.string().optional(),
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
  result: z.number().int(),
  correlationId: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z
  .object({
    referralId: z.string().min(1).max(64).optional(),
    organisationId: z.string().min(1).max(64).optional(),
    from: z.optional(Rfc3339),
    to: z.optional(Rfc3339),
    limit: Limit,
    cursor: z.optional(Cursor),
  })
  .strict()
  .refine((q) => q.referralId || q.organisationId || (q.from && q.to), {
    message: 'give referralId, organisationId, or both from and to',
    path: ['referralId'],
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = page(AuditRecord);
