/**
 * GET /fhir/R4/Task/{id}: the referral's status as a Task, for the referring organisation only
 * (403 for the AMHP service, 404 for anyone else).
 */
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { loadAccessibleReferral } from '../../shared/data/visible-referral.js';
import { referrerView } from '../../shared/domain/referral.js';
import { taskOf } from '../../shared/domain/fhir/task.js';
import { getFhirTaskRoute } from '../routes/get-fhir-task.js';

export const handler = fhirRoute(getFhirTaskRoute, {
  load: ({ caller, params }) => loadAccessibleReferral(caller, params.id),
  run: async ({ resource, now }) => ({
    statusCode: 200,
    headers: { ETag: `W/"${resource.version}"` },
    body: taskOf(referrerView(resource, now)),
    audit: [{ resourceType: 'referral', resourceId: resource.id, action: 'read' }],
  }),
});
