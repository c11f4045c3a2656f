/**
 * GET /fhir/R4/ServiceRequest/{id}: the referral as a minimised ServiceRequest, for the referring
 * organisation only (403 for the AMHP service, 404 for anyone else).
 */
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { loadAccessibleReferral } from '../../shared/data/visible-referral.js';
import { referrerView } from '../../shared/domain/referral.js';
import { serviceRequestOf } from '../../shared/domain/fhir/task.js';
import { getFhirServiceRequestRoute } from '../routes/get-fhir-service-request.js';

export const handler = fhirRoute(getFhirServiceRequestRoute, {
  load: ({ caller, params }) => loadAccessibleReferral(caller, params.id),
  run: async ({ resource, now }) => ({
    statusCode: 200,
    headers: { ETag: `W/"${resource.version}"` },
    body: serviceRequestOf(referrerView(resource, now)),
    audit: [{ resourceType: 'referral', resourceId: resource.id, action: 'read' }],
  }),
});
