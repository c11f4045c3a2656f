/** Fixture routes for behaviour no production route exposes on its own (whoami, a crash). */
import { SCOPES, ROLES } from '../../shared/identity/roles.js';
import { apiRoute } from '../../shared/http/stack.js';
import type { RouteDef } from '../../functions/routes.js';
import type { ProxyHandler } from '../../infra/local/http-adapter.js';

const route = (id: string, method: RouteDef['method'], path: string): RouteDef => ({
  id,
  method,
  path,
  handler: 'test/support/fixtures.ts',
  auth: { scopes: SCOPES, roles: ROLES },
  throttle: { rateLimit: 100, burstLimit: 100 },
  summary: id,
  tags: ['test'],
  response: { status: 200 },
});

export const whoami = {
  route: route('testWhoami', 'GET', '/test/whoami'),
  handler: apiRoute(route('testWhoami', 'GET', '/test/whoami') as never, {
    run: async ({ caller }) => ({ statusCode: 200, body: caller }),
  }) as unknown as ProxyHandler,
};

export const SECRET_LOOKING_MESSAGE = 'Jane Example 943 476 5919 lives at 1 Test Street';

export const boom = {
  route: route('testBoom', 'POST', '/test/boom'),
  handler: apiRoute(route('testBoom', 'POST', '/test/boom') as never, {
    run: async () => {
      throw new Error(SECRET_LOOKING_MESSAGE);
    },
  }) as unknown as ProxyHandler,
};
