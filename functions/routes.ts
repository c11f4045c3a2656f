/**
 * The ONE route table: CDK builds the REST API methods (Cognito authorizer with the route's
 * scopes, per-method throttling) from it, the local HTTP adapter routes from it, and the
 * OpenAPI document is generated from it. A handler module is named by path (not imported) so
 * that CDK can bundle it and the adapter can load it without pulling handler code into either.
 *
 * Each route is defined in its own module under functions/routes/ and the handler imports only
 * that module, never this table: a handler's bundle then carries (and builds at init) its own
 * route's schemas, not every route's (#21). A new route is a new module there, listed here.
 */
export type { HttpMethod, RouteAuth, RouteDef, SecretId, Throttle } from '../shared/http/route.js';
import type { RouteDef } from '../shared/http/route.js';
import { getHealthRoute } from './routes/get-health.js';
import { getOpenApiRoute } from './routes/get-open-api.js';
import { getDocsRoute } from './routes/get-docs.js';
import { getMeRoute } from './routes/get-me.js';
import { createReferralRoute } from './routes/create-referral.js';
import { listReferralsRoute } from './routes/list-referrals.js';
import { getReferralRoute } from './routes/get-referral.js';
import { postReferralEventRoute } from './routes/post-referral-event.js';
import { listReferralEventsRoute } from './routes/list-referral-events.js';
import { getReferralLetterRoute } from './routes/get-referral-letter.js';
import { putBedUnitRoute } from './routes/put-bed-unit.js';
import { putBedAvailabilityRoute } from './routes/put-bed-availability.js';
import { getBedUnitHistoryRoute } from './routes/get-bed-unit-history.js';
import { listBedAvailabilityRoute } from './routes/list-bed-availability.js';
import { putPlaceOfSafetyRoute } from './routes/put-place-of-safety.js';
import { putPlaceOfSafetyStatusRoute } from './routes/put-place-of-safety-status.js';
import { listPlacesOfSafetyRoute } from './routes/list-places-of-safety.js';
import { listBedRequestsRoute } from './routes/list-bed-requests.js';
import { respondBedRequestRoute } from './routes/respond-bed-request.js';
import { getDemandExtractRoute } from './routes/get-demand-extract.js';
import { getTimingsExtractRoute } from './routes/get-timings-extract.js';
import { getCapacityExtractRoute } from './routes/get-capacity-extract.js';
import { getRecordsExtractRoute } from './routes/get-records-extract.js';
import { getDataQualityExtractRoute } from './routes/get-data-quality-extract.js';
import { listAmhpsRoute } from './routes/list-amhps.js';
import { getAmhpRoute } from './routes/get-amhp.js';
import { putAmhpRoute } from './routes/put-amhp.js';
import { listAuditRoute } from './routes/list-audit.js';
import { createSubscriptionRoute } from './routes/create-subscription.js';
import { getSubscriptionRoute } from './routes/get-subscription.js';
import { deleteSubscriptionRoute } from './routes/delete-subscription.js';
import { listSubscriptionDeliveriesRoute } from './routes/list-subscription-deliveries.js';
import { listDeliveriesRoute } from './routes/list-deliveries.js';
import { replayDeliveryRoute } from './routes/replay-delivery.js';
import { getFhirMetadataRoute } from './routes/get-fhir-metadata.js';
import { fhirProcessMessageRoute } from './routes/fhir-process-message.js';
import { getFhirTaskRoute } from './routes/get-fhir-task.js';
import { getFhirServiceRequestRoute } from './routes/get-fhir-service-request.js';
import { searchFhirTasksRoute } from './routes/search-fhir-tasks.js';
import { getProblemRoute } from './routes/get-problem.js';
import { postWhereaboutsEventRoute } from './routes/post-whereabouts-event.js';
import { getWhereaboutsRoute } from './routes/get-whereabouts.js';
import { listAlertsRoute } from './routes/list-alerts.js';
import { acknowledgeAlertRoute } from './routes/acknowledge-alert.js';
import { putAlertChannelRoute } from './routes/put-alert-channel.js';
import { listAlertDeliveriesRoute } from './routes/list-alert-deliveries.js';
import { replayAlertDeliveryRoute } from './routes/replay-alert-delivery.js';
import { getS140RegisterRoute } from './routes/get-s140-register.js';

export const ROUTES = [
  getHealthRoute,
  getOpenApiRoute,
  getDocsRoute,
  getMeRoute,
  createReferralRoute,
  listReferralsRoute,
  getReferralRoute,
  postReferralEventRoute,
  listReferralEventsRoute,
  getReferralLetterRoute,
  putBedUnitRoute,
  putBedAvailabilityRoute,
  getBedUnitHistoryRoute,
  listBedAvailabilityRoute,
  putPlaceOfSafetyRoute,
  putPlaceOfSafetyStatusRoute,
  listPlacesOfSafetyRoute,
  listBedRequestsRoute,
  respondBedRequestRoute,
  getDemandExtractRoute,
  getTimingsExtractRoute,
  getCapacityExtractRoute,
  getRecordsExtractRoute,
  getDataQualityExtractRoute,
  listAmhpsRoute,
  getAmhpRoute,
  putAmhpRoute,
  listAuditRoute,
  createSubscriptionRoute,
  getSubscriptionRoute,
  deleteSubscriptionRoute,
  listSubscriptionDeliveriesRoute,
  listDeliveriesRoute,
  replayDeliveryRoute,
  getFhirMetadataRoute,
  fhirProcessMessageRoute,
  getFhirTaskRoute,
  getFhirServiceRequestRoute,
  searchFhirTasksRoute,
  getProblemRoute,
  postWhereaboutsEventRoute,
  getWhereaboutsRoute,
  listAlertsRoute,
  acknowledgeAlertRoute,
  putAlertChannelRoute,
  listAlertDeliveriesRoute,
  replayAlertDeliveryRoute,
  getS140RegisterRoute,
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof ROUTES)[number]['id'];
