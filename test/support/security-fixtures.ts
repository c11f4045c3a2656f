/**
 * A fixture route for the log scan: a handler that fails with an error whose message quotes the
 * request across several lines (as an assertion diff or a library's formatted message would).
 * The error mapper's promise is that an unknown error's message is never logged.
 */
import * as z from 'zod';
import { testRoute } from './test-route.js';
import { apiRoute } from '../../shared/http/stack.js';
import type { RouteDef } from '../../functions/routes.js';
import type { ProxyHandler } from '../../infra/local/http-adapter.js';

const route: RouteDef = testRoute({
  id: 'testMultilineBoom',
  path: '/test/multiline-boom',
  handler: 'test/support/security-fixtures.ts',
  summary: 'testMultilineBoom',
  request: { body: z.record(z.string(), z.unknown()) },
});

export const multilineBoom = {
  route,
  handler: apiRoute(route as never, {
    // The message quotes the request: `quote` (lines of text) as they are, else the body as JSON.
    run: async ({ body }) => {
      const input: unknown = body;
      const { quote } = (input ?? {}) as { quote?: unknown };
      const lines = Array.isArray(quote)
        ? quote.map(String)
        : [`  expected: ${JSON.stringify(body)}`, '  actual:   nothing'];
      throw new Error(['could not match the person', ...lines].join('\n'));
    },
  }) as unknown as ProxyHandler,
};
