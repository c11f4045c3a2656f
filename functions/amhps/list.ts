/** GET /v1/amhps: the caller's own service register; another service's is never listed. */
import { apiRoute } from '../../shared/http/stack.js';
import { listAmhps } from '../../shared/data/amhp-repository.js';
import { listAmhpsRoute } from '../routes/list-amhps.js';

export const handler = apiRoute(listAmhpsRoute, {
  run: async ({ caller }) => ({ statusCode: 200, body: { items: await listAmhps(caller.organisationId) } }),
});
