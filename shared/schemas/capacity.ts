/** s.140 bed units, s.136 places of safety, availability snapshots and bed requests (DOMAIN §5). */
import * as z from 'zod/mini';
import './zod-locale.js';
// LssaCode from common.ts, where it is defined: registry.ts re-exports it but builds the registry's schemas.
import { Id, LssaCode, Rfc3339, UtcTimestamp } from './common.js';
import { BED_SEXES, BED_TYPES } from '../domain/vocabulary.js';
import { BED_REQUEST_RESPONSES } from './referral-event-vocabulary.js';

export const BedType = z.enum(BED_TYPES);
export { BED_SEXES } from '../domain/vocabulary.js';
export const BedSex = z.enum(BED_SEXES);
const Count = z.number().check(z.int()).check(z.gte(0)).check(z.lte(10_000));
const Text = (max: number) => z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(max));

export const BedUnitIdParams = z.object({ unitId: Id });
export const SiteIdParams = z.object({ siteId: Id });
export const BedRequestIdParams = z.object({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a bed request id')),
});

export const BedUnitInput = z
  .strictObject({
    name: Text(120),
    site: Text(120),
    /** Commissioning ICB (ODS code). */
    icb: z.string().check(z.regex(/^[A-Z0-9]{3,5}$/, 'an ODS code')),
    lssas: z.array(LssaCode).check(z.minLength(1)).check(z.maxLength(20)),
    /** Named in the ICB's s.140 notice for urgent or special-urgency admission. */
    s140Designated: z.boolean(),
    acceptsUnder18: z.boolean(),
    /** The 24-hour route to whoever can offer a bed. */
    contactRoute: Text(200),
  })
  .check(
    z.meta({
      example: {
        name: 'Oak Ward (adult acute, male)',
        site: 'Northshire Mental Health Centre',
        icb: 'QHG',
        lssas: ['E06000055'],
        s140Designated: true,
        acceptsUnder18: false,
        contactRoute: 'Bed management 24h: +44 1234 500100',
      },
    }),
  );

export const BedRow = z.strictObject({
  bedType: BedType,
  sex: BedSex,
  available: Count,
  total: Count,
  expectedDischargesToday: z.optional(Count),
});

export const AvailabilityInput = z
  .strictObject({ asOf: Rfc3339, beds: z.array(BedRow).check(z.minLength(1)).check(z.maxLength(30)) })
  .check(
    z.superRefine((v, ctx) => {
      const seen = new Set<string>();
      v.beds.forEach((row, i) => {
        if (row.available > row.total)
          ctx.addIssue({ code: 'custom', path: ['beds', i, 'available'], message: 'more available than in total' });
        const key = `${row.bedType}|${row.sex}`;
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: ['beds', i], message: 'a second row for this bed type and sex' });
        seen.add(key);
      });
    }),
  )
  .check(
    z.meta({
      example: {
        asOf: '2026-11-23T07:00:00Z',
        beds: [{ bedType: 'adult-acute', sex: 'male', available: 0, total: 18, expectedDischargesToday: 1 }],
      },
    }),
  );

export const PlaceOfSafetyInput = z
  .strictObject({
    name: Text(120),
    lssas: z.array(LssaCode).check(z.minLength(1)).check(z.maxLength(20)),
    acceptsUnder18: z.boolean(),
    contactRoute: Text(200),
  })
  .check(
    z.meta({
      example: {
        name: 'Northshire s.136 suite',
        lssas: ['E06000055'],
        acceptsUnder18: true,
        contactRoute: 's.136 suite 24h: +44 1234 500136',
      },
    }),
  );

export const PlaceOfSafetyStatusInput = z
  .strictObject({
    asOf: Rfc3339,
    status: z.enum(['open', 'closed']),
    capacity: Count,
    emptySpaces: Count,
    acceptsUnder18: z.boolean(),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.emptySpaces > v.capacity)
        ctx.addIssue({ code: 'custom', path: ['emptySpaces'], message: 'more empty spaces than capacity' });
    }),
  )
  .check(
    z.meta({
      example: { asOf: '2026-11-23T23:00:00Z', status: 'open', capacity: 2, emptySpaces: 0, acceptsUnder18: true },
    }),
  );

const flag = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v) => v === 'true'),
);

export const BedAvailabilityQuery = z.strictObject({
  bedType: z.optional(BedType),
  sex: z.optional(BedSex),
  lssa: z.optional(LssaCode),
  s140Only: z.optional(flag),
  limit: z._default(z.coerce.number().check(z.int()).check(z.gte(1)).check(z.lte(100)), 100),
});
export const PlacesOfSafetyQuery = z.strictObject({ lssa: z.optional(LssaCode), under18: z.optional(flag) });
export const HistoryQuery = z
  .strictObject({ from: Rfc3339, to: Rfc3339 })
  .check(
    z.refine((q) => Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] }),
  );

export const BedRequestResponseInput = z
  .strictObject({
    response: z.enum(BED_REQUEST_RESPONSES),
    unitId: z.optional(Id),
    /** DOMAIN §9: the ICB where an out-of-area bed is (its ODS code). */
    icb: z.optional(z.string().check(z.regex(/^[A-Z0-9]{3,5}$/, 'an ODS code'))),
    /** Operational only (e.g. "ring the ward after 08:00"): never clinical detail. */
    note: z.optional(z.string().check(z.trim()).check(z.maxLength(300))),
  })
  .check(
    z.superRefine((v, ctx) => {
      if ((v.response === 'offered' || v.response === 'identified') && !v.unitId)
        ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'required when a bed is offered or identified' });
      if (v.response === 'out-of-area' && !v.icb)
        ctx.addIssue({ code: 'custom', path: ['icb'], message: 'required when the bed is out of area' });
      if (v.response !== 'out-of-area' && v.icb)
        ctx.addIssue({ code: 'custom', path: ['icb'], message: "only with response 'out-of-area'" });
    }),
  )
  .check(z.meta({ example: { response: 'offered', unitId: 'p-oak-ward', note: 'Bed 4 from 09:30' } }));

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
  version: z.number().check(z.int()),
  asOf: z.nullable(z.string()),
  stale: z.boolean(),
  beds: z.array(BedRow),
});
export const BedAvailabilityPage = z.object({
  items: z.array(z.extend(BedUnitView, { availableOfType: z.number().check(z.int()) })),
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
  version: z.number().check(z.int()),
  status: z.nullable(z.enum(['open', 'closed'])),
  capacity: z.nullable(z.number().check(z.int())),
  emptySpaces: z.nullable(z.number().check(z.int())),
  asOf: z.nullable(z.string()),
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
      unitId: z.optional(z.string()),
      icb: z.optional(z.string()),
      note: z.optional(z.string()),
      organisationId: z.string(),
      at: z.string(),
    }),
  ),
});
export const BedRequestPage = z.object({ items: z.array(BedRequestView), nextCursor: z.null() });
