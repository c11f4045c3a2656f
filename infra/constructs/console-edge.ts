/**
 * The console's edge rules, apart from the construct that wires them: which paths go to the API,
 * the viewer-request function, and the Content-Security-Policy (infra/constructs/console.ts).
 */
import { ROUTES, type RouteDef } from '../../functions/routes.js';

/** Where the console lives on the distribution and in the bucket (no leading slash). */
export const CONSOLE_PREFIX = 'console/';

/**
 * The distribution's path patterns that go to the API, from the ONE route table: `/v1/*` for
 * every versioned route, `/fhir/R4/*` for the FHIR facade, each unversioned route (health, API description,
 * docs) by its path, and `/problems/*` for the problem pages (a parameter after a fixed segment).
 */
export const apiPathPatterns = (routes: readonly RouteDef[] = ROUTES as readonly RouteDef[]): string[] => {
  const patterns = new Set<string>();
  for (const { path } of routes) {
    // The FHIR facade's base (/fhir/R4) is a version of its own: one pattern for its resources.
    const version = /^\/(v\d+|fhir\/R4)\//.exec(path)?.[1];
    if (version) patterns.add(`/${version}/*`);
    else if (path.includes('{')) {
      // A fixed first segment (`/problems/{slug}`) is its own prefix pattern; a parameter at the root would take
      // everything.
      const prefix = path.slice(0, path.indexOf('{'));
      if (!/^\/[a-z0-9-]+\/$/.test(prefix) || prefix === `/${CONSOLE_PREFIX}`) {
        throw new Error(`Route ${path}: an unversioned route with a path parameter has no CloudFront path pattern`);
      }
      patterns.add(`${prefix}*`);
    } else if (path === '/' || `${path}/` === `/${CONSOLE_PREFIX}` || path.startsWith(`/${CONSOLE_PREFIX}`))
      throw new Error(`Route ${path} would shadow the console`);
    else patterns.add(path);
  }
  return [...patterns].sort();
};

/**
 * Viewer-request function of the console behaviour: `/` and `/console` redirect to
 * `/console/`, `/console/` is its index document, and nothing outside `/console/` reaches the
 * bucket (S3 would answer 403 for a key it does not hold; 404 says what happened). With a custom name, a request on any
 * other name (the distribution's own *.cloudfront.net) is sent to it: sign-in redirects to the
 * one URL config.json names, and the PKCE verifier waits in that origin's storage only.
 */
export const viewerRequestCode = (canonicalHost?: string): string => `function handler(event) {
  var request = event.request;
  var uri = request.uri;
${
  canonicalHost
    ? `  var host = request.headers.host && request.headers.host.value;
  if (host !== ${JSON.stringify(canonicalHost)}) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://' + ` +
      `${JSON.stringify(canonicalHost)} + (uri === '/' || uri === '/console' ? '/console/' : uri) } } };
  }
`
    : ''
}  if (uri === '/' || uri === '/console') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/console/' } } };
  }
  if (uri === '/console/') {
    request.uri = '/console/index.html';
    return request;
  }
  if (uri.indexOf('/console/') !== 0) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  return request;
}`;

/**
 * The console's Content-Security-Policy: its own origin for everything, plus the Cognito
 * domain for the token request (connect-src) and a sign-out form (form-action).
 */
export const consoleCsp = (signInOrigin: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${signInOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${signInOrigin}`,
  ].join('; ');
