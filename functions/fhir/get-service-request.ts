/** GET /fhir/R4/ServiceRequest/{id}: the referral as a minimised ServiceRequest, for the referring organisation only. */
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { accessOf } from '../../shared/domain/referral-access.js';
import { referrerView } from '../../shared/domain/referral.js';
import { serviceRequestOf } from '../../shared/domain/fhir/task.js';
import { ROUTE } from '../routes.js';

export const handler = fhirRoute(ROUTE.getFhirServiceRequest, {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    return found && accessOf(caller, found.record) === 'referrer' ? found.record : undefined;
  },
  run: async ({ resource, now }) => ({
    statusCode: 200,
    headers: { ETag: `W/"${resource.version}"` },
    body: serviceRequestOf(referrerView(resource, now)),
    audit: [{ resourceType: 'referral', resourceId: resource.id, action: 'read' }],
  }),
});
