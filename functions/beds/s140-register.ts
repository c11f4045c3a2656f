/** GET /v1/s140-register: each ICB's s.140 arrangements (DOMAIN §9), for the lead and bed managers. */
import { apiRoute } from '../../shared/http/stack.js';
import { listS140Register } from '../../shared/data/s140-repository.js';
import { getS140RegisterRoute } from '../routes/get-s140-register.js';

export const handler = apiRoute(getS140RegisterRoute, {
  run: async ({ query }) => {
    const { items } = await listS140Register();
    const entries = items
      .filter((e) => query.icb === undefined || e.icb === query.icb)
      .sort((a, b) => a.icb.localeCompare(b.icb));
    return { statusCode: 200, body: { items: entries, nextCursor: null } };
  },
});
