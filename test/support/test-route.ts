/** A route for in-test handlers (middleware harnesses, adapter fixtures): every role and scope, lax throttles. */
import type { RouteDef } from '../../functions/routes.js';
import { ROLES, SCOPES } from '../../shared/identity/roles.js';

export const testRoute = (
  route: Pick<RouteDef, 'id' | 'path' | 'handler' | 'summary'> & Partial<RouteDef>,
): RouteDef => ({
  method: 'POST',
  auth: { scopes: SCOPES, roles: ROLES },
  throttle: { rateLimit: 100, burstLimit: 100 },
  tags: ['test'],
  response: { status: 200 },
  ...route,
});
