/** s.140 bed units, s.136 places of safety, availability snapshots and bed requests (DOMAIN §5). */
import * as z from 'zod';
// LssaCode from common.ts, where it is defined: registry.ts re-exports it but builds the registry's schemas.
import { Id, LssaCode, Rfc3339, UtcTimestamp } from './common.js';
import { BED_SEXES, BED_TYPES } from '../domain/vocabulary.js';
import { BED_REQUEST_RESPONSES } from './referral-event-vocabulary.js';

export const BedType = z.enum(BED_TYPES);
export { BED_SEXES } from '../domain/vocabulary.js';
export const BedSex = z.enum(BED_SEXES);
const Count = z.number().int().min(0).max(10_000);
const Text = (max: number) => z.string().trim().min(1).max(max);

export const BedUnitIdParams = z.object({ unitId: Id });
export const SiteIdParams = z.object({ siteId: Id });
export const BedRequestIdParams = z.object({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a bed request id') });

export const BedUnitInput = z
  .object({
    name: Text(120),
    site: Text(120),
    /** Commissioning ICB (ODS code). */
    icb: z.string().regex(/^[A-Z0-9]{3,5}$/, 'an ODS code'),
    lssas: z.array(LssaCode).min(1).max(20),
    /** Named in the ICB's s.140 notice for urgent or special-urgency admission. */
    s140Designated: z.boolean(),
    acceptsUnder18: z.boolean(),
    /** The 24-hour route to whoever can offer a bed. */
    contactRoute: Text(200),
  })
  .strict()
  .meta({
    example: {
      name: 'Oak Ward (adult acute, male)',
      site: 'Northshire Mental Health Centre',
      icb: 'QHG',
      lssas: ['E06000055'],
      s140Designated: true,
      acceptsUnder18: false,
      contactRoute: 'Bed management 24h: +44 1234 500100',
    },
  });

export const BedRow = z
  .object({ bedType: BedType, sex: BedSex, available: Count, total: Count, expectedDischargesToday: Count.optional() })
  .strict();

export const AvailabilityInput = z
  .object({ asOf: Rfc3339, beds: z.array(BedRow).min(1).max(30) })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.beds.forEach((row, i) => {
      if (row.available > row.total)
        ctx.addIssue({ code: 'custom', path: ['beds', i, 'available'], message: 'more available than in total' });
      const key = `${row.bedType}|${row.sex}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['beds', i], message: 'a second row for this bed type and sex' });
      seen.add(key);
    });
  })
  .meta({
    example: {
      asOf: '2026-11-23T07:00:00Z',
      beds: [{ bedType: 'adult-acute', sex: 'male', available: 0, total: 18, expectedDischargesToday: 1 }],
    },
  });

export const PlaceOfSafetyInput = z
  .object({
    name: Text(120),
    lssas: z.array(LssaCode).min(1).max(20),
    acceptsUnder18: z.boolean(),
    contactRoute: Text(200),
  })
  .strict()
  .meta({
    example: {
      name: 'Northshire s.136 suite',
      lssas: ['E06000055'],
      acceptsUnder18: true,
      contactRoute: 's.136 suite 24h: +44 1234 500136',
    },
  });

export const PlaceOfSafetyStatusInput = z
  .object({
    asOf: Rfc3339,
    status: z.enum(['open', 'closed']),
    capacity: Count,
    emptySpaces: Count,
    acceptsUnder18: z.boolean(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.emptySpaces > v.capacity)
      ctx.addIssue({ code: 'custom', path: ['emptySpaces'], message: 'more empty spaces than capacity' });
  })
  .meta({
    example: { asOf: '2026-11-23T23:00:00Z', status: 'open', capacity: 2, emptySpaces: 0, acceptsUnder18: true },
  });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const BedAvailabilityQuery = z
  .object({
    bedType: BedType.optional(),
    sex: BedSex.optional(),
    lssa: z.optional(LssaCode),
    s140Only: flag.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(100),
  })
  .strict();
export const PlacesOfSafetyQuery = z.object({ lssa: z.optional(LssaCode), under18: flag.optional() }).strict();
export const HistoryQuery = z
  .object({ from: Rfc3339, to: Rfc3339 })
  .strict()
  .refine((q) => Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });

export const BedRequestResponseInput = z
  .object({
    response: z.enum(BED_REQUEST_RESPONSES),
    unitId: z.optional(Id),
    /** DOMAIN §9: the ICB where an out-of-area bed is (its ODS code). */
    icb: z
      .string()
      .regex(/^[A-Z0-9]{3,5}$/, 'an ODS code')
      .optional(),
    /** Operational only (e.g. "ring the ward after 08:00"): never clinical detail. */
    note: z.string().trim().max(300).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.response === 'offered' || v.response === 'identified') && !v.unitId)
      ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'required when a bed is offered or identified' });
    if (v.response === 'out-of-area' && !v.icb)
      ctx.addIssue({ code: 'custom', path: ['icb'], message: 'required when the bed is out of area' });
    if (v.response !== 'out-of-area' && v.icb)
      ctx.addIssue({ code: 'custom', path: ['icb'], message: "only with response 'out-of-area'" });
  })
  .meta({ example: { response: 'offered', unitId: 'p-oak-ward', note: 'Bed 4 from 09:30' } });

const Snapshot = z.object({ asOf: UtcTimestamp, updatedBy: z.string(), beds: z.array(BedRow) });
export const BedUnitView = z.object({
  unitId: z.string(),
  providerId: z.string(),
  name: z.string(),
  site: z.string(),
  icb: z.string(),
  lssas: z.array(z.string()),
  s140Designated: z.boolean(),
  acceptsUnder18: z.boolean(),
  contactRoute: z.string(),
  version: z.number().int(),
  asOf: z.string().nullable(),
  stale: z.boolean(),
  beds: z.array(BedRow),
});
export const BedAvailabilityPage = z.object({
  items: z.array(BedUnitView.extend({ availableOfType: z.number().int() })),
  nextCursor: z.null(),
  rule: z.string(),
});
export const HistoryPage = z.object({ items: z.array(Snapshot) });
export const PlaceOfSafetyView = z.object({
  siteId: z.string(),
  providerId: z.string(),
  name: z.string(),
  lssas: z.array(z.string()),
  acceptsUnder18: z.boolean(),
  contactRoute: z.string(),
  version: z.number().int(),
  status: z.enum(['open', 'closed']).nullable(),
  capacity: z.number().int().nullable(),
  emptySpaces: z.number().int().nullable(),
  asOf: z.string().nullable(),
  stale: z.boolean(),
});
export const PlacesOfSafetyPage = z.object({ items: z.array(PlaceOfSafetyView), nextCursor: z.null() });
export const BedRequestView = z.object({
  id: z.string(),
  referralReference: z.string(),
  ageBand: z.string(),
  sex: z.string(),
  bedType: z.string(),
  legalStatus: z.string(),
  lssa: z.string(),
  requestedAt: z.string(),
  status: z.enum(['open', 'closed']),
  responses: z.array(
    z.object({
      response: z.string(),
      unitId: z.string().optional(),
      icb: z.string().optional(),
      note: z.string().optional(),
      organisationId: z.string(),
      at: z.string(),
    }),
  ),
});
export const BedRequestPage = z.object({ items: z.array(BedRequestView), nextCursor: z.null() });
