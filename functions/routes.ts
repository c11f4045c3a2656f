/**
 * The ONE route table: CDK builds the REST API methods (Cognito authorizer with the route's
 * scopes, per-method throttling) from it, the local HTTP adapter routes from it, and the
 * OpenAPI document is generated from it. A handler module is named by path (not imported) so
 * that CDK can bundle it and the adapter can load it without pulling handler code into either.
 */
import { ROLES, SCOPES } from '../shared/identity/roles.js';
import { AmhpRegisterEntryInput, AmhpRegisterEntryView, AmhpIdParams, AmhpRegisterPage } from '../shared/schemas/amhps.js';
import { MeView } from '../shared/schemas/me.js';
import { AuditQuery, AuditPage } from '../shared/schemas/audit.js';
import { HealthView } from '../shared/schemas/health.js';
import { ProblemSlugParams } from '../shared/schemas/problems.js';
import { ReferralCreate } from '../shared/schemas/referral.js';
import { ReferralEventInput } from '../shared/schemas/referral-events.js';
import {
  AvailabilityInput,
  BedAvailabilityPage,
  BedAvailabilityQuery,
  BedRequestIdParams,
  BedRequestPage,
  BedRequestResponseInput,
  BedRequestView,
  BedUnitIdParams,
  BedUnitInput,
  BedUnitView,
  HistoryPage,
  HistoryQuery,
  PlaceOfSafetyInput,
  PlaceOfSafetyStatusInput,
  PlaceOfSafetyView,
  PlacesOfSafetyPage,
  PlacesOfSafetyQuery,
  SiteIdParams,
} from '../shared/schemas/capacity.js';
import { CapacityExtractQuery, DataQualityQuery, DemandQuery, ExtractResponse, RecordsQuery, TimingsQuery } from '../shared/schemas/extracts.js';
import { ReferralEventList, ReferralIdParams, ReferralLetterParams, ReferralListQuery, ReferralPage, ReferralView } from '../shared/schemas/referral-api.js';
import {
  DeliveryIdParams,
  DeliveryPage,
  DeliveryView,
  ServiceDeliveriesQuery,
  SubscriptionCreate,
  SubscriptionDeliveriesQuery,
  SubscriptionIdParams,
  SubscriptionView,
} from '../shared/schemas/feedback.js';

export type { HttpMethod, RouteAuth, RouteDef, SecretId, Throttle } from '../shared/http/route.js';
import type { RouteDef, Throttle } from '../shared/http/route.js';

const DEFAULT_THROTTLE: Throttle = { rateLimit: 10, burstLimit: 20 };
const READ_THROTTLE: Throttle = { rateLimit: 20, burstLimit: 40 };

export const ROUTES = [
  {
    id: 'getHealth',
    method: 'GET',
    path: '/health',
    handler: 'functions/health/get.ts',
    auth: 'public',
    throttle: { rateLimit: 5, burstLimit: 10 },
    summary: 'Liveness and readiness: DynamoDB reachable, stream lag, last schedule run',
    description:
      'Public. 200 when DynamoDB answers; the body reports stream lag and the last scheduled run for monitors.',
    tags: ['operations'],
    response: { status: 200, body: HealthView },
  },
  {
    id: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/docs/openapi.ts',
    auth: 'public',
    throttle: { rateLimit: 5, burstLimit: 10 },
    summary: 'This API described as OpenAPI 3.1',
    description:
      'This document: generated from the route table and its zod schemas, so it always matches the deployed handlers.',
    tags: ['documentation'],
    response: { status: 200, contentType: 'application/json' },
  },
  {
    id: 'getDocs',
    method: 'GET',
    path: '/docs',
    handler: 'functions/docs/page.ts',
    auth: 'public',
    throttle: { rateLimit: 5, burstLimit: 10 },
    summary: 'Human-readable API reference',
    description:
      'A self-contained HTML reference rendered from this document (no scripts).',
    tags: ['documentation'],
    response: { status: 200, contentType: 'text/html' },
  },
  {
    id: 'getMe',
    method: 'GET',
    path: '/v1/me',
    handler: 'functions/me/get.ts',
    // Any valid token: every caller may learn who the Hub takes it to be.
    auth: { scopes: SCOPES, roles: ROLES },
    throttle: READ_THROTTLE,
    summary: 'The caller as the Hub sees it: organisation, role, LSSAs (and, for people, their name)',
    description:
      'Who the Hub takes the token to be: organisation, agency type, role, LSSAs and, for a person, their name. Useful as a first call.',
    tags: ['identity'],
    response: { status: 200, body: MeView },
  },
  {
    id: 'createReferral',
    method: 'POST',
    path: '/v1/referrals',
    handler: 'functions/referrals/create.ts',
    auth: { scopes: ['referrals.write'], roles: ['referrer'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Refer a person for consideration of a Mental Health Act assessment',
    description:
      'A partner agency (police, ambulance, A&E, CMHT …) refers a person. Requires an Idempotency-Key: a retry with the same key and body returns the first answer. The response is the referrer\'s minimised view; Location names the new referral and ETag its version.',
    tags: ['referrals'],
    request: { body: ReferralCreate, idempotencyKey: 'required', idempotencyLookup: 'on-conflict' },
    response: { status: 201, body: ReferralView, headers: ['ETag', 'Location'] },
    secrets: ['personMatchKey'],
  },
  {
    id: 'listReferrals',
    method: 'GET',
    path: '/v1/referrals',
    handler: 'functions/referrals/list.ts',
    auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: 'Find a referral by reference, the AMHP service board, or the referrer change feed',
    description:
      'With `reference`: one referral by its Hub or referrer reference. For the AMHP service: the board (open referrals). For a referrer: its own referrals changed since `changedSince`, oldest first, with an opaque cursor.',
    tags: ['referrals'],
    request: { query: ReferralListQuery },
    response: { status: 200, body: ReferralPage },
    secrets: ['cursorKey'],
  },
  {
    id: 'getReferral',
    method: 'GET',
    path: '/v1/referrals/{id}',
    handler: 'functions/referrals/get.ts',
    auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: 'A referral: minimised for the referrer, in full for the AMHP service',
    description:
      'One referral. The referrer sees the minimised view of its own referrals; the AMHP service sees it in full (audited). ETag is the version to send as If-Match on the next event.',
    tags: ['referrals'],
    request: { params: ReferralIdParams },
    response: { status: 200, body: ReferralView, headers: ['ETag'] },
  },
  {
    id: 'postReferralEvent',
    method: 'POST',
    path: '/v1/referrals/{id}/events',
    handler: 'functions/referrals/post-event.ts',
    auth: { scopes: ['referrals.write', 'referrals.manage'], roles: ['referrer', 'amhp-lead', 'amhp'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Record what happened or was decided (triage, allocation, outcome, withdrawal, …)',
    description:
      'Records one event (the `type` discriminator names it): triage and allocation decisions, facts such as arrival at a place of safety, outcomes, withdrawal. Needs If-Match with the current ETag; a refusal carries a stable `code`.',
    tags: ['referrals'],
    request: { params: ReferralIdParams, body: ReferralEventInput, idempotencyKey: 'optional', ifMatch: true },
    response: { status: 200, body: ReferralView, headers: ['ETag'] },
  },
  {
    id: 'listReferralEvents',
    method: 'GET',
    path: '/v1/referrals/{id}/events',
    handler: 'functions/referrals/list-events.ts',
    auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: "A referral's history (minimised for the referrer)",
    description:
      'The referral\'s history in order; minimised for the referrer.',
    tags: ['referrals'],
    request: { params: ReferralIdParams },
    response: { status: 200, body: ReferralEventList },
  },
  {
    id: 'getReferralLetter',
    method: 'GET',
    path: '/v1/referrals/{id}/letters/{kind}',
    handler: 'functions/referrals/get-letter.ts',
    auth: { scopes: ['referrals.read'], roles: ['amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: 'A letter as a printable HTML page: s13-4-reasons (to the nearest relative; 409 unless owed) or gp (409 before an outcome)',
    description:
      'A printable HTML letter for the AMHP to send: `s13-4-reasons` (to the nearest relative) or `gp`.',
    tags: ['referrals'],
    request: { params: ReferralLetterParams },
    response: { status: 200, contentType: 'text/html' },
  },
  {
    id: 'putBedUnit',
    method: 'PUT',
    path: '/v1/bed-units/{unitId}',
    handler: 'functions/capacity/put-bed-unit.ts',
    auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
    throttle: DEFAULT_THROTTLE,
    summary: "Create or replace a bed unit's registry entry (owning provider; If-Match to replace)",
    description:
      'The owning provider\'s bed manager creates (201) or replaces (If-Match) a bed unit\'s registry entry.',
    tags: ['capacity'],
    request: { params: BedUnitIdParams, body: BedUnitInput, idempotencyKey: 'optional' },
    response: { status: 200, body: BedUnitView, headers: ['ETag'], created: true },
  },
  {
    id: 'putBedAvailability',
    method: 'PUT',
    path: '/v1/bed-units/{unitId}/availability',
    handler: 'functions/capacity/put-availability.ts',
    auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'A new availability snapshot (the newest asOf wins; older is 409)',
    description:
      'A new availability snapshot for a unit; the newest `asOf` wins and an older one is 409.',
    tags: ['capacity'],
    request: { params: BedUnitIdParams, body: AvailabilityInput, idempotencyKey: 'optional' },
    response: { status: 200 },
  },
  {
    id: 'getBedUnitHistory',
    method: 'GET',
    path: '/v1/bed-units/{unitId}/history',
    handler: 'functions/capacity/unit-history.ts',
    auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: "Every accepted availability snapshot of a unit in a window",
    description:
      'Every accepted availability snapshot of a unit between `from` and `to`.',
    tags: ['capacity'],
    request: { params: BedUnitIdParams, query: HistoryQuery },
    response: { status: 200, body: HistoryPage },
  },
  {
    id: 'listBedAvailability',
    method: 'GET',
    path: '/v1/bed-availability',
    handler: 'functions/capacity/list-availability.ts',
    auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: 'Current s.140 bed availability, most beds of the wanted type first, with staleness',
    description:
      'Current s.140 availability across units, most beds of the wanted type first, each with its staleness.',
    tags: ['capacity'],
    request: { query: BedAvailabilityQuery },
    response: { status: 200, body: BedAvailabilityPage },
  },
  {
    id: 'putPlaceOfSafety',
    method: 'PUT',
    path: '/v1/places-of-safety/{siteId}',
    handler: 'functions/capacity/put-place-of-safety.ts',
    auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
    throttle: DEFAULT_THROTTLE,
    summary: "Create or replace a place of safety's registry entry (owning provider; If-Match to replace)",
    description:
      'The owning provider creates (201) or replaces (If-Match) a place of safety\'s registry entry.',
    tags: ['capacity'],
    request: { params: SiteIdParams, body: PlaceOfSafetyInput, idempotencyKey: 'optional' },
    response: { status: 200, body: PlaceOfSafetyView, headers: ['ETag'], created: true },
  },
  {
    id: 'putPlaceOfSafetyStatus',
    method: 'PUT',
    path: '/v1/places-of-safety/{siteId}/status',
    handler: 'functions/capacity/put-place-of-safety-status.ts',
    auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'A new s.136 suite status snapshot (the newest asOf wins; older is 409)',
    description:
      'A new s.136 suite status snapshot; the newest `asOf` wins and an older one is 409.',
    tags: ['capacity'],
    request: { params: SiteIdParams, body: PlaceOfSafetyStatusInput, idempotencyKey: 'optional' },
    response: { status: 200 },
  },
  {
    id: 'listPlacesOfSafety',
    method: 'GET',
    path: '/v1/places-of-safety',
    handler: 'functions/capacity/list-places-of-safety.ts',
    auth: { scopes: ['places.read'], roles: ['referrer', 'amhp-lead', 'amhp', 'bed-manager'] },
    throttle: READ_THROTTLE,
    summary: 'Places of safety with status and empty spaces (readable at the roadside)',
    description:
      'Places of safety with their status and empty spaces, for a crew deciding where to go.',
    tags: ['capacity'],
    request: { query: PlacesOfSafetyQuery },
    response: { status: 200, body: PlacesOfSafetyPage },
  },
  {
    id: 'listBedRequests',
    method: 'GET',
    path: '/v1/bed-requests',
    handler: 'functions/capacity/list-bed-requests.ts',
    auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: 'Open bed requests in your area, with the minimum data a bed search needs',
    description:
      'Open bed requests in the provider\'s area with only the data a bed search needs.',
    tags: ['capacity'],
    response: { status: 200, body: BedRequestPage },
  },
  {
    id: 'respondBedRequest',
    method: 'POST',
    path: '/v1/bed-requests/{id}/responses',
    handler: 'functions/capacity/respond-bed-request.ts',
    auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Answer a bed request: offered, identified or none (appears in the referral history)',
    description:
      'A bed manager answers a bed request (offered, identified or none); the answer appears in the referral history.',
    tags: ['capacity'],
    request: { params: BedRequestIdParams, body: BedRequestResponseInput, idempotencyKey: 'optional' },
    response: { status: 200, body: BedRequestView },
  },
  {
    id: 'getDemandExtract',
    method: 'GET',
    path: '/v1/extracts/demand',
    handler: 'functions/extracts/demand.ts',
    auth: { scopes: ['extracts.read'], roles: ['analyst'] },
    throttle: { rateLimit: 2, burstLimit: 5 },
    summary: 'Referrals per fixed period by up to three dimensions, disclosure-controlled (JSON or CSV)',
    description:
      'Referrals per fixed period (day, week or month) by up to three dimensions (`by`), with small-number suppression. JSON by default; `Accept: text/csv` for CSV.',
    tags: ['extracts'],
    request: { query: DemandQuery },
    response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
    data: 'analytics',
  },
  {
    id: 'getTimingsExtract',
    method: 'GET',
    path: '/v1/extracts/timings',
    handler: 'functions/extracts/timings.ts',
    auth: { scopes: ['extracts.read'], roles: ['analyst'] },
    throttle: { rateLimit: 2, burstLimit: 5 },
    summary: 'Median and p90 of each interval per period; escalations and clock breaches',
    description:
      'Median and p90 of each interval per period, escalations and clock breaches, disclosure-controlled. JSON or CSV by Accept.',
    tags: ['extracts'],
    request: { query: TimingsQuery },
    response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
    data: 'analytics',
  },
  {
    id: 'getCapacityExtract',
    method: 'GET',
    path: '/v1/extracts/capacity',
    handler: 'functions/extracts/capacity.ts',
    auth: { scopes: ['extracts.read'], roles: ['analyst'] },
    throttle: { rateLimit: 2, burstLimit: 5 },
    summary: 'Mean bed availability by type per period and the share of stale updates',
    description:
      'Mean bed availability by bed type per period and the share of stale updates. JSON or CSV by Accept.',
    tags: ['extracts'],
    request: { query: CapacityExtractQuery },
    response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
    data: 'analytics',
  },
  {
    id: 'getRecordsExtract',
    method: 'GET',
    path: '/v1/extracts/records',
    handler: 'functions/extracts/records.ts',
    auth: { scopes: ['extracts.records'], roles: ['analyst'] },
    throttle: { rateLimit: 1, burstLimit: 2 },
    summary: 'Pseudonymised record-level rows of one month (k ≥ 5), under a data-sharing agreement',
    description:
      'Pseudonymised record-level rows of one month (k-anonymity 5) for clients with a data-sharing agreement. JSON or CSV by Accept.',
    tags: ['extracts'],
    request: { query: RecordsQuery },
    response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
    data: 'analytics',
    // The per-agreement person key is derived from the pseudonymisation key.
    secrets: ['pseudonymisationKey', 'cursorKey'],
  },
  {
    id: 'getDataQualityExtract',
    method: 'GET',
    path: '/v1/extracts/data-quality',
    handler: 'functions/extracts/data-quality.ts',
    auth: { scopes: ['extracts.read'], roles: ['analyst'] },
    throttle: { rateLimit: 2, burstLimit: 5 },
    summary: 'Referrals that raised each flag (evidence, nearest relative, places of safety …) per period, disclosure-controlled',
    description:
      'How many referrals raised each data-quality flag per period, disclosure-controlled. JSON or CSV by Accept.',
    tags: ['extracts'],
    request: { query: DataQualityQuery },
    response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
    data: 'analytics',
  },
  {
    id: 'listAmhps',
    method: 'GET',
    path: '/v1/amhps',
    handler: 'functions/amhps/list.ts',
    auth: { scopes: ['referrals.manage'], roles: ['amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: "The caller's AMHP service register (who may be allocated)",
    description:
      'The AMHP service\'s register: who may be allocated, for which LSSAs.',
    tags: ['amhp register'],
    response: { status: 200, body: AmhpRegisterPage },
  },
  {
    id: 'getAmhp',
    method: 'GET',
    path: '/v1/amhps/{amhpId}',
    handler: 'functions/amhps/get.ts',
    auth: { scopes: ['referrals.manage'], roles: ['amhp-lead', 'amhp'] },
    throttle: READ_THROTTLE,
    summary: "An entry of the AMHP service's register",
    description:
      'One register entry; ETag is its version.',
    tags: ['amhp register'],
    request: { params: AmhpIdParams },
    response: { status: 200, body: AmhpRegisterEntryView, headers: ['ETag'] },
  },
  {
    id: 'putAmhp',
    method: 'PUT',
    path: '/v1/amhps/{amhpId}',
    handler: 'functions/amhps/put.ts',
    auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'], caller: 'person' },
    throttle: DEFAULT_THROTTLE,
    summary: "Create or replace an entry of the AMHP service's register (If-Match to replace)",
    description:
      'The lead AMHP (a person) creates (201) or replaces (If-Match) a register entry.',
    tags: ['amhp register'],
    request: { params: AmhpIdParams, body: AmhpRegisterEntryInput, idempotencyKey: 'optional' },
    response: { status: 200, body: AmhpRegisterEntryView, headers: ['ETag'], created: true },
  },
  {
    id: 'listAudit',
    method: 'GET',
    path: '/v1/audit',
    handler: 'functions/audit/list.ts',
    auth: { scopes: ['audit.read'], roles: ['auditor'] },
    throttle: READ_THROTTLE,
    summary: 'Access audit records by referral, organisation or time range',
    description:
      'Access audit records by referral, organisation or time range (auditors only).',
    tags: ['audit'],
    request: { query: AuditQuery },
    response: { status: 200, body: AuditPage },
    secrets: ['cursorKey'],
  },
  {
    id: 'createSubscription',
    method: 'POST',
    path: '/v1/subscriptions',
    handler: 'functions/feedback/create-subscription.ts',
    auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Register a webhook for feedback on your referrals (Standard Webhooks; the secret is shown once)',
    description:
      'A referrer registers an https URL for feedback webhooks on its referrals. The signing secret is returned once, here; messages are signed as Standard Webhooks.',
    tags: ['feedback'],
    request: { body: SubscriptionCreate, idempotencyKey: 'required' },
    response: { status: 201, body: SubscriptionView, headers: ['Location'] },
  },
  {
    id: 'getSubscription',
    method: 'GET',
    path: '/v1/subscriptions/{id}',
    handler: 'functions/feedback/get-subscription.ts',
    auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
    throttle: READ_THROTTLE,
    summary: 'One of your webhook subscriptions (never its secret)',
    description:
      'One of the referrer\'s subscriptions (never its secret).',
    tags: ['feedback'],
    request: { params: SubscriptionIdParams },
    response: { status: 200, body: SubscriptionView },
  },
  {
    id: 'deleteSubscription',
    method: 'DELETE',
    path: '/v1/subscriptions/{id}',
    handler: 'functions/feedback/delete-subscription.ts',
    auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Stop a webhook subscription and destroy its secret',
    description:
      'Stops a subscription and destroys its secret; pending deliveries are cancelled.',
    tags: ['feedback'],
    request: { params: SubscriptionIdParams, idempotencyKey: 'optional' },
    response: { status: 204 },
  },
  {
    id: 'listSubscriptionDeliveries',
    method: 'GET',
    path: '/v1/subscriptions/{id}/deliveries',
    handler: 'functions/feedback/list-deliveries.ts',
    auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
    throttle: READ_THROTTLE,
    summary: "A subscription's deliveries with every attempt (filter by status: pending, delivered, parked, cancelled)",
    description:
      'A subscription\'s deliveries with every attempt, filterable by status.',
    tags: ['feedback'],
    request: { params: SubscriptionIdParams, query: SubscriptionDeliveriesQuery },
    response: { status: 200, body: DeliveryPage },
    secrets: ['cursorKey'],
  },
  {
    id: 'listDeliveries',
    method: 'GET',
    path: '/v1/deliveries',
    handler: 'functions/feedback/list-service-deliveries.ts',
    auth: { scopes: ['feedback.manage'], roles: ['amhp-lead'] },
    throttle: READ_THROTTLE,
    summary: "Feedback deliveries about the AMHP service's referrals (e.g. status=parked: not received)",
    description:
      'The AMHP service\'s view of feedback deliveries about its referrals, e.g. parked ones that never arrived.',
    tags: ['feedback'],
    request: { query: ServiceDeliveriesQuery },
    response: { status: 200, body: DeliveryPage },
    secrets: ['cursorKey'],
  },
  {
    id: 'replayDelivery',
    method: 'POST',
    path: '/v1/deliveries/{id}/replay',
    handler: 'functions/feedback/replay-delivery.ts',
    auth: { scopes: ['feedback.manage'], roles: ['referrer', 'amhp-lead'] },
    throttle: DEFAULT_THROTTLE,
    summary: 'Send a parked (or delivered) feedback message again, with a new 24-hour retry window',
    description:
      'Sends a parked (or delivered) message again with a new 24-hour retry window.',
    tags: ['feedback'],
    request: { params: DeliveryIdParams, idempotencyKey: 'optional' },
    response: { status: 202, body: DeliveryView },
  },
  {
    id: 'getProblem',
    method: 'GET',
    path: '/problems/{slug}',
    handler: 'functions/docs/problem.ts',
    auth: 'public',
    throttle: { rateLimit: 5, burstLimit: 10 },
    summary: 'What a problem type means and what to do (every problem `type` URI resolves here)',
    tags: ['documentation'],
    request: { params: ProblemSlugParams },
    response: { status: 200, contentType: 'text/html' },
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** A route of the table by its id, with its literal type: what a handler passes to apiRoute. */
export type RouteOf<I extends RouteId> = Extract<(typeof ROUTES)[number], { id: I }>;
export const ROUTE = Object.fromEntries(ROUTES.map((r) => [r.id, r])) as unknown as { readonly [I in RouteId]: RouteOf<I> };

export const routeById = (id: string): RouteDef => {
  const route = (ROUTES as readonly RouteDef[]).find((r) => r.id === id);
  if (!route) throw new Error(`No route ${id}`);
  return route;
};
