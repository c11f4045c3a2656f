import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { getAmhpRoute } from '../routes/get-amhp.js';

export const handler = apiRoute(getAmhpRoute, {
  // Another service's register is not visible: 404, not 403.
  load: async ({ caller, params }) => {
    const entry = await getAmhp(params.amhpId);
    return entry && entry.serviceId === caller.organisationId ? entry : undefined;
  },
  run: async ({ resource }) => ({
    statusCode: 200,
    headers: { ETag: etagOf(resource.version) },
    body: resource,
    audit: [{ resourceType: 'amhp', resourceId: resource.amhpId, action: 'read' }],
  }),
});
