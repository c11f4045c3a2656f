/**
 * The middleware stacks, one per handler kind. Order follows the status precedence of the
 * architecture: 401 (caller) → 404 (path, resource) → 413/415/400 (body, query) → 422
 * (Idempotency-Key) → 428 (If-Match) → 403 (role, resource rule) → handler (412 from the
 * write's condition, 409 from the domain).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import { ROUTES, routeById, type RouteDef, type RouteId } from '../../functions/routes.js';
import type { Caller } from '../identity/caller.js';
import { clock } from '../time.js';
import { commit, serialize, type CommitInput } from './commit.js';
import { auditReads } from './middleware/audit-reads.js';
import { authorize, type Authorizer } from './middleware/authorize.js';
import { callerFromClaims } from './middleware/caller.js';
import { correlation } from './middleware/correlation.js';
import { mapErrors } from './middleware/errors.js';
import { finishResponse } from './middleware/finish.js';
import { handToHandler } from './middleware/hand-to-handler.js';
import { idempotency, replayResult } from './middleware/idempotency.js';
import { ifMatch } from './middleware/if-match.js';
import { jsonBody } from './middleware/json-body.js';
import { pathParams } from './middleware/path-params.js';
import { resource, type Loader } from './middleware/resource.js';
import { validation } from './middleware/validation.js';
import { handlerState, type HubContext, type HubState } from './request-state.js';
import type { HttpResult } from './types.js';

type RouteOf<I extends RouteId> = Extract<(typeof ROUTES)[number], { id: I }>;
type PartOf<I extends RouteId, K extends 'params' | 'query' | 'body'> =
  RouteOf<I> extends { request: infer Rq } ? (Rq extends { [P in K]: infer S } ? (S extends z.ZodType ? z.output<S> : undefined) : undefined) : undefined;

export interface RunContext<I extends RouteId, R> {
  readonly caller: Caller;
  readonly params: PartOf<I, 'params'>;
  readonly query: PartOf<I, 'query'>;
  readonly body: PartOf<I, 'body'>;
  readonly resource: R;
  /** The version named by If-Match, when the route takes one. */
  readonly expectedVersion: number | undefined;
  readonly now: Date;
  readonly state: HubState;
  /** The proxy event, for the rare handler that negotiates on a header (Accept). */
  readonly event: APIGatewayProxyEvent;
  /** Writes the change, its idempotency record and its audit in one transaction. */
  commit(input: CommitInput): Promise<HttpResult>;
}

export interface ApiRouteSpec<I extends RouteId, R> {
  /** Loads the resource the path names; `undefined` (absent or not visible to the caller) is 404. */
  load?: (ctx: { caller: Caller; params: PartOf<I, 'params'>; state: HubState }) => Promise<R | undefined>;
  /** May this caller do this to this resource? Throw `forbidden(...)` if not. */
  authorize?: (ctx: { caller: Caller; resource: R; params: PartOf<I, 'params'>; body: PartOf<I, 'body'>; state: HubState }) => void | Promise<void>;
  run: (ctx: RunContext<I, R>) => Promise<HttpResult>;
}

const respond = (state: HubState, result: HttpResult): APIGatewayProxyResult => {
  // Read audit targets go to the audit middleware through the request state, never the response.
  if (result.audit?.length) state.readAudit = result.audit;
  return serialize(result);
};

/** An authorised API route: the full stack. */
export function apiRoute<I extends RouteId, R = undefined>(routeId: I | RouteDef, spec: ApiRouteSpec<I, R>) {
  // A RouteDef (not an id) is for test fixtures: production handlers always name a route of the table.
  const route = typeof routeId === 'string' ? routeById(routeId) : routeId;
  if (route.auth === 'public') throw new Error(`${route.id} is public: use publicRoute`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
    .use(correlation(route))
    .use(finishResponse())
    .use(mapErrors())
    .use(callerFromClaims())
    .use(pathParams())
    .use(resource(spec.load as Loader | undefined))
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
        params: state.params as PartOf<I, 'params'>,
        query: state.query as PartOf<I, 'query'>,
        body: state.body as PartOf<I, 'body'>,
        resource: state.resource as R,
        expectedVersion: state.expectedVersion,
        now,
        state,
        event,
        commit: (input) => commit(state, input, now),
      });
      return respond(state, result);
    });
}

/** A public route (no authorizer): correlation, headers, errors and query validation only. */
export function publicRoute(routeId: RouteId, run: (ctx: { query: unknown; state: HubState; now: Date }) => Promise<HttpResult>) {
  const route = routeById(routeId);
  if (route.auth !== 'public') throw new Error(`${routeId} needs authorisation: use apiRoute`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
    .use(correlation(route))
    .use(finishResponse())
    .use(mapErrors())
    .use(jsonBody())
    .use(validation())
    .use(handToHandler())
    .handler(async (_event, context) => {
      const state = handlerState(context);
      return respond(state, await run({ query: state.query, state, now: clock.now() }));
    });
}
