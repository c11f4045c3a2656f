/** The registry: who the Hub's callers are. Seeded locally from `infra/local/seed/registry.json`. */
import * as z from 'zod/mini';
import './zod-locale.js';
import { ROLES, SCOPES } from '../identity/roles.js';
import { ladderConfigProblem } from '../domain/bed-ladder.js';
import { S140RegisterEntry } from './s140-register.js';
import { LssaCode } from './common.js';
import { AGENCY_TYPES } from '../domain/vocabulary.js';

// Defined with the common schemas, so a referral body's schema need not build the registry's.
export { LssaCode };
// A plain list in the domain vocabulary (zod-free, for the extracts' dictionary), re-exported here.
export { AGENCY_TYPES };

export const AgencyType = z.enum(AGENCY_TYPES);

const HhMm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM'));

export const BedLadderConfig = z
  .array(
    z.strictObject({
      level: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/)),
      targetMinutes: z
        .number()
        .check(z.int())
        .check(z.gte(1))
        .check(z.lte(7 * 24 * 60)),
    }),
  )
  .check(z.minLength(1))
  .check(z.maxLength(6))
  .check(
    z.superRefine((steps, ctx) => {
      const problem = ladderConfigProblem(steps);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

/**
 * A service's in-hours: ISO weekdays, London wall-clock times, and whose bank holidays are out
 * of hours all day (the England and Wales list ships as data: shared/data/bank-holidays).
 */
export const ServiceCalendarConfig = z
  .strictObject({
    days: z
      .array(z.number().check(z.int()).check(z.gte(1)).check(z.lte(7)))
      .check(z.minLength(1))
      .check(z.maxLength(7)),
    start: HhMm,
    end: HhMm,
    bankHolidays: z._default(z.enum(['england-and-wales', 'none']), 'england-and-wales'),
  })
  .check(z.refine((c) => c.end > c.start, { message: 'end must be after start', path: ['end'] }));

export const Organisation = z.object({
  organisationId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  agencyType: AgencyType,
  /** For an AMHP service: the LSSAs it acts for. For others: the LSSAs they refer into or serve. */
  lssas: z.array(LssaCode),
  /**
   * For a team of the local authority that runs an AMHP service (its information governance):
   * that service. The authority is one organisation, so its auditors read the service's trail
   * as their own (DOMAIN §1, auditor row); no other organisation's.
   */
  amhpServiceId: z.optional(z.string().check(z.minLength(1))),
  /** For an AMHP service (DOMAIN §9): its bed-finding ladder; absent: the default (1 h → 2 h → 4 h). */
  bedLadder: z.optional(BedLadderConfig),
  /** For an AMHP service (DOMAIN §7): its in-hours calendar; absent: weekdays 09:00–17:00. */
  calendar: z.optional(ServiceCalendarConfig),
});
export type Organisation = z.infer<typeof Organisation>;

export const MachineClient = z.object({
  clientId: z.string().check(z.minLength(1)),
  /** Local only: the token issuer checks it. In AWS Cognito holds the secret. */
  clientSecret: z.string().check(z.minLength(16)),
  organisationId: z.string().check(z.minLength(1)),
  role: z.enum(ROLES),
  /** Scopes granted beyond the role's, e.g. `extracts.records` under a data-sharing agreement. */
  extraScopes: z._default(z.array(z.enum(SCOPES)), []),
  /**
   * The data-sharing agreement `extracts.records` is granted under: record extracts are keyed per agreement (DOMAIN
   * §7).
   */
  dataSharingAgreementId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{3,64}$/))),
  description: z.string(),
});
export type MachineClient = z.infer<typeof MachineClient>;

export const Person = z.object({
  sub: z.uuid(),
  username: z.string().check(z.minLength(1)),
  /** Local only sign-in; in AWS people sign in through Cognito's hosted UI. */
  password: z.string().check(z.minLength(8)),
  displayName: z.string().check(z.minLength(1)),
  organisationId: z.string().check(z.minLength(1)),
  role: z.enum(ROLES),
  /** Set for AMHPs: their entry on the service's register. */
  amhpId: z.optional(z.string()),
});
export type Person = z.infer<typeof Person>;

export const AmhpRegisterSeed = z.object({
  amhpId: z.string().check(z.minLength(1)),
  serviceId: z.string().check(z.minLength(1)),
  displayName: z.string().check(z.minLength(1)),
  active: z.boolean(),
  authorisedLssas: z.array(LssaCode),
  dutyReviewer: z.boolean(),
});

export const BedUnitSeed = z.object({
  unitId: z.string().check(z.minLength(1)),
  providerId: z.string().check(z.minLength(1)),
  name: z.string(),
  site: z.string(),
  icb: z.string(),
  lssas: z.array(LssaCode),
  s140Designated: z.boolean(),
  acceptsUnder18: z.boolean(),
  contactRoute: z.string(),
});
export const PlaceOfSafetySeed = z.object({
  siteId: z.string().check(z.minLength(1)),
  providerId: z.string().check(z.minLength(1)),
  name: z.string(),
  lssas: z.array(LssaCode),
  acceptsUnder18: z.boolean(),
  contactRoute: z.string(),
});

export const Registry = z.object({
  /** LSSAs the Hub serves: referrals naming any other code are refused. */
  lssas: z.array(z.object({ code: LssaCode, name: z.string() })),
  organisations: z.array(Organisation),
  /** The people app client (authorization code + PKCE in AWS; local sign-in here). */
  peopleClientId: z.string().check(z.minLength(1)),
  clients: z.array(MachineClient),
  people: z.array(Person),
  amhpRegister: z.array(AmhpRegisterSeed),
  /** Local only: the units and places of safety providers keep current through the API. */
  bedUnits: z._default(z.array(BedUnitSeed), []),
  placesOfSafety: z._default(z.array(PlaceOfSafetySeed), []),
  /** Per ICB: its s.140 arrangements (DOMAIN §9). */
  s140Register: z._default(z.array(S140RegisterEntry), []),
});
export type Registry = z.infer<typeof Registry>;
