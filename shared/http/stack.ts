/**
 * The middleware stacks, one per handler kind. Order follows the status precedence of the
 * architecture: 401 (caller) → 404 (path, resource) → 406 (Accept) → 413/415/400 (body, query) → 422
 * (Idempotency-Key) → 428 (If-Match) → 403 (role, resource rule) → handler (412 from the
 * write's condition, 409 from the domain).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from 'zod';
import type { RouteDef } from './route.js';
import type { Caller } from '../identity/caller.js';
import { clock } from '../time.js';
import { commit, serialize, type CommitInput } from './commit.js';
import { acceptable } from './middleware/acceptable.js';
import { auditReads } from './middleware/audit-reads.js';
import { deprecation } from './middleware/deprecation.js';
import { rateLimitHeaders } from './middleware/rate-limit-policy.js';
import { authorize, type Authorizer } from './middleware/authorize.js';
import { callerFromClaims } from './middleware/caller.js';
import { correlation } from './middleware/correlation.js';
import { mapErrors } from './middleware/errors.js';
import { finishResponse } from './middleware/finish.js';
import { handToHandler } from './middleware/hand-to-handler.js';
import { idempotency, replayResult } from './middleware/idempotency.js';
import { ifMatch } from './middleware/if-match.js';
import { jsonBody } from './middleware/json-body.js';
import { noBody } from './middleware/no-body.js';
import { pathParams } from './middleware/path-params.js';
import { prefetch, type Prefetch } from './middleware/prefetch.js';
import { resource, type Loader } from './middleware/resource.js';
import { validation } from './middleware/validation.js';
import { handlerState, type HubContext, type HubState } from './request-state.js';
import type { HttpResult } from './types.js';

/**
 * The parsed part of a request, typed from the route object the handler passes (its zod
 * schemas): handlers name their route by a typed object, so the stack needs no route table.
 */
type PartOf<D extends RouteDef, K extends 'params' | 'query' | 'body'> = D extends { request: infer Rq }
  ? Rq extends { [P in K]: infer S }
    ? S extends z.core.$ZodType
      ? z.output<S>
      : undefined
    : undefined
  : undefined;

export interface RunContext<D extends RouteDef, R, P = undefined> {
  readonly caller: Caller;
  readonly params: PartOf<D, 'params'>;
  readonly query: PartOf<D, 'query'>;
  readonly body: PartOf<D, 'body'>;
  readonly resource: R;
  /** The version named by If-Match, when the route takes one. */
  readonly expectedVersion: number | undefined;
  readonly now: Date;
  readonly state: HubState;
  /** The proxy event, for the rare handler that negotiates on a header (Accept). */
  readonly event: APIGatewayProxyEvent;
  /** The spec's prefetch, started before caller resolution (undefined without one). */
  readonly prefetched: Promise<P> | undefined;
  /** Writes the change, its idempotency record and its audit in one transaction. */
  commit(input: CommitInput): Promise<HttpResult>;
}

export interface ApiRouteSpec<D extends RouteDef, R, P = undefined> {
  /**
   * A read that depends on the raw request only, started before the caller is resolved so the
   * two overlap. It must not trust the body (not yet validated) and must reveal nothing: its
   * result is the handler's to check against the validated request.
   */
  prefetch?: (event: APIGatewayProxyEvent) => Promise<P>;
  /** Loads the resource the path names; `undefined` (absent or not visible to the caller) is 404. */
  load?: (ctx: { caller: Caller; params: PartOf<D, 'params'>; state: HubState }) => Promise<R | undefined>;
  /** May this caller do this to this resource? Throw `forbidden(...)` if not. */
  authorize?: (ctx: {
    caller: Caller;
    resource: R;
    params: PartOf<D, 'params'>;
    body: PartOf<D, 'body'>;
    state: HubState;
  }) => void | Promise<void>;
  run: (ctx: RunContext<D, R, P>) => Promise<HttpResult>;
}

const respond = (state: HubState, result: HttpResult): APIGatewayProxyResult => {
  // Read audit targets go to the audit middleware through the request state, never the response.
  if (result.audit?.length) state.readAudit = result.audit;
  return serialize(result);
};

/** An authorised API route: the full stack. */
export function apiRoute<const D extends RouteDef, R = undefined, P = undefined>(
  route: D,
  spec: ApiRouteSpec<D, R, P>,
) {
  if (route.auth === 'public') throw new Error(`${route.id} is public: use publicRoute`);
  return (
    middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
      .use(correlation(route))
      // After and onError run in reverse: the headers below are added once mapErrors has made
      // the answer, and before finishResponse sends it.
      .use(deprecation(route.retired))
      .use(rateLimitHeaders())
      .use(finishResponse())
      .use(mapErrors())
      .use(prefetch(spec.prefetch as Prefetch | undefined))
      .use(callerFromClaims())
      .use(pathParams())
      .use(resource(spec.load as Loader | undefined))
      .use(acceptable())
      .use(jsonBody())
      .use(validation())
      .use(idempotency())
      .use(ifMatch())
      .use(authorize(spec.authorize as Authorizer | undefined))
      .use(auditReads())
      .use(handToHandler())
      .handler(async (event, context) => {
        const state = handlerState(context);
        // Authorised above like a first request; the same caller's stored response, audited.
        if (state.replay) return respond(state, replayResult(state.replay));
        const now = clock.now();
        const result = await spec.run({
          caller: state.caller!,
          params: state.params as PartOf<D, 'params'>,
          query: state.query as PartOf<D, 'query'>,
          body: state.body as PartOf<D, 'body'>,
          resource: state.resource as R,
          expectedVersion: state.expectedVersion,
          now,
          state,
          event,
          prefetched: state.prefetched as Promise<P> | undefined,
          commit: (input) => commit(state, input, now),
        });
        return respond(state, result);
      })
  );
}

/** A public route (no authorizer): correlation, headers, errors and query validation only. */
export function publicRoute(
  route: RouteDef,
  run: (ctx: { query: unknown; params: unknown; state: HubState; now: Date }) => Promise<HttpResult>,
) {
  if (route.auth !== 'public') throw new Error(`${route.id} needs authorisation: use apiRoute`);
  // Public routes read nothing from a body: they refuse one without bundling the JSON parser.
  if (route.request?.body) throw new Error(`${route.id} takes a body: use apiRoute`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
    .use(correlation(route))
    .use(deprecation(route.retired))
    .use(finishResponse())
    .use(mapErrors())
    .use(pathParams())
    .use(acceptable())
    .use(noBody())
    .use(validation())
    .use(handToHandler())
    .handler(async (_event, context) => {
      const state = handlerState(context);
      return respond(state, await run({ query: state.query, params: state.params, state, now: clock.now() }));
    });
}
