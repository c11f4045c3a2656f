/**
 * One concern: a retired route says so on every answer (RFC 9745 `Deprecation`, RFC 8594
 * `Sunset`, and a `Link` with rel="deprecation"), errors included, so an integrator's logs show
 * it long before the sunset. Routes are flagged in the route table (`retired`).
 */
import { DEPRECATION_HEADER, SUNSET_HEADER } from '../headers.js';
import type { RouteRetirement } from '../route.js';
import type { HubMiddleware, HubRequest } from '../request-state.js';

export const deprecationHeadersOf = (retired: RouteRetirement): Record<string, string> => ({
  [DEPRECATION_HEADER]: `@${Math.floor(Date.parse(retired.deprecatedAt) / 1000)}`,
  ...(retired.sunsetAt ? { [SUNSET_HEADER]: new Date(retired.sunsetAt).toUTCString() } : {}),
  ...(retired.link ? { Link: `<${retired.link}>; rel="deprecation"; type="text/html"` } : {}),
});

export const deprecation = (retired: RouteRetirement | undefined): HubMiddleware => {
  const headers = retired ? deprecationHeadersOf(retired) : undefined;
  const add = (request: HubRequest): void => {
    if (!headers || !request.response) return;
    request.response = { ...request.response, headers: { ...(request.response.headers ?? {}), ...headers } };
  };
  return { after: add, onError: add };
};
