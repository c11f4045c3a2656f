/**
 * The local API in-process for integration tests: the local token issuer, the HTTP adapter
 * routing from the route table to the real handlers, against the run's DynamoDB Local.
 */
import { fileURLToPath } from 'node:url';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { createHttpAdapter, type ProxyHandler } from '../../infra/local/http-adapter.js';
import { createConsoleSite, localConsoleConfig } from '../../infra/local/console-site.js';
import { createLocalIdentity, type LocalIdentity } from '../../infra/local/identity.js';
import { loadRegistry } from '../../infra/local/seed.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestApi {
  readonly url: string;
  readonly identity: LocalIdentity;
  /** Moves the token issuer's and verifier's clock (ms). */
  shiftClock(ms: number): void;
  clientToken(clientId: string, scopes?: readonly string[]): Promise<string>;
  personToken(username: string): Promise<string>;
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Extra routes with in-test handlers (fixtures for behaviour no production route has). */
  readonly fixtures?: readonly { route: RouteDef; handler: ProxyHandler }[];
  /** Per-client throttling as `npm start` has it (off for tests that drive load as one client). */
  readonly throttle?: boolean;
  /** Serve the operator console at `/console/` (built with esbuild: about a second). */
  readonly console?: boolean;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  let offset = 0;
  const identity = await createLocalIdentity({
    registry: loadRegistry(),
    issuer: 'http://localhost/local-user-pool',
    now: () => Date.now() + offset,
  });
  const fixtures = options.fixtures ?? [];
  const consoleSite = options.console
    ? await createConsoleSite(localConsoleConfig(loadRegistry().peopleClientId))
    : undefined;
  const adapter = createHttpAdapter({
    ...(consoleSite ? { console: consoleSite } : {}),
    routes: [...ROUTES, ...fixtures.map((f) => f.route)],
    identity,
    root: ROOT,
    throttle: options.throttle ?? false,
    ...(fixtures.length
      ? {
          loadHandler: async (route: RouteDef) => {
            const fixture = fixtures.find((f) => f.route.id === route.id);
            if (fixture) return fixture.handler;
            const mod = (await import(`${ROOT}/${route.handler}`)) as { handler: ProxyHandler };
            return mod.handler;
          },
        }
      : {}),
  });
  const url = await adapter.listen(0);
  return testApiHandle(url, identity, adapter, (ms) => {
    offset += ms;
  });
}

/** What a test holds on an adapter it started: tokens from its identity, fetch, the clock, close. */
export const testApiHandle = (
  url: string,
  identity: TestApi['identity'],
  adapter: { close(): Promise<void> },
  shiftClock: (ms: number) => void,
): TestApi => ({
  url,
  identity,
  shiftClock,
  clientToken: (clientId, scopes) => identity.issueClientToken(clientId, scopes),
  personToken: (username) => identity.issuePersonToken(username),
  fetch: apiFetch(url),
  close: () => adapter.close(),
});

export type ApiRequestInit = RequestInit & { token?: string; json?: unknown };

/** `fetch` against one base URL, with a bearer token and a JSON body made easy. */
export const apiFetch =
  (url: string) =>
  (path: string, init: ApiRequestInit = {}): Promise<Response> => {
    const { token, json, headers, ...rest } = init;
    const h = new Headers(headers);
    if (token) h.set('Authorization', `Bearer ${token}`);
    if (json !== undefined && !h.has('Content-Type')) h.set('Content-Type', 'application/json');
    return fetch(`${url}${path}`, {
      ...rest,
      headers: h,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };

export const PEOPLE = {
  lead: 'dana.lead',
  amhp: 'sam.amhp',
  reviewer: 'alex.amhp',
  beds: 'bea.beds',
  analyst: 'ann.analyst',
  auditor: 'ian.ig',
  southLead: 'sol.south',
  /** The Southvale AMHP service's own auditor. */
  southAuditor: 'sue.audit',
  /** Police force A's auditor. */
  policeAuditor: 'pat.audit',
  /** An AMHP of Northshire who is neither allocated to the test referrals nor duty reviewer. */
  unallocated: 'kim.amhp',
} as const;

export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
