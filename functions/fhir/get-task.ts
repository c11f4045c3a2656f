/**
 * GET /fhir/R4/Task/{id}: the referral's status as a Task, for the referring organisation only
 * (403 for the AMHP service, 404 for anyone else).
 */
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { accessOf } from '../../shared/domain/referral-access.js';
import { referrerView } from '../../shared/domain/referral.js';
import { taskOf } from '../../shared/domain/fhir/task.js';
import { ROUTE } from '../routes.js';

export const handler = fhirRoute(ROUTE.getFhirTask, {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    // Visible to the referrer and the AMHP service (the service then meets the role check: 403);
    // to anyone else it does not exist (404).
    return found && accessOf(caller, found.record) ? found.record : undefined;
  },
  run: async ({ resource, now }) => ({
    statusCode: 200,
    headers: { ETag: `W/"${resource.version}"` },
    body: taskOf(referrerView(resource, now)),
    audit: [{ resourceType: 'referral', resourceId: resource.id, action: 'read' }],
  }),
});
