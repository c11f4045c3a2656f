/**
 * The per-request state the middlewares share, defined once and kept where middy keeps such
 * things: `request.internal`, a fresh object per invocation. Middlewares read and write it only
 * through these accessors, so the type lives here and nowhere needs a cast. The handler function
 * sees only (event, context), so `handState` puts the state on the context, as middy's own
 * `setToContext` options do, and `handlerState` reads it back there.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { MiddlewareObj, Request } from '@middy/core';
import type { RouteDef } from './route.js';
import type { Caller } from '../identity/caller.js';
import type { RequestLogger } from '../logger.js';
import type { AuditTarget } from './types.js';

/** Per-request state the middlewares share. */
export interface HubState {
  readonly route: RouteDef;
  readonly startedAt: number;
  correlationId: string;
  log: RequestLogger;
  caller?: Caller;
  params?: unknown;
  /** The body as parsed JSON, before the route's schema has checked it. */
  json?: unknown;
  query?: unknown;
  body?: unknown;
  resource?: unknown;
  idempotency?: { key: string; requestHash: string };
  /** A stored response for this caller's key and request: answered only after authorisation. */
  replay?: {
    response: { statusCode: number; headers: Record<string, string>; body: string };
    audit: readonly AuditTarget[];
  };
  expectedVersion?: number;
  /** A read started before caller resolution (the prefetch middleware), awaited by the handler. */
  prefetched?: Promise<unknown>;
  /** Resources the handler's response disclosed: the audit-reads middleware records them. */
  readAudit?: readonly AuditTarget[];
}

export type HubInternal = { hub?: HubState };
export type HubContext = Context & { hub?: HubState };
export type HubRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext, HubInternal>;
export type HubMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext, HubInternal>;

const missing = () => new Error('No request state: the correlation middleware must run first');

/** Starts the request's state (the correlation middleware, first in every stack). */
export const startState = (request: HubRequest, state: HubState): HubState => (request.internal.hub = state);

/** The request's state; throws when no middleware has started it. */
export const stateOf = (request: HubRequest): HubState => request.internal.hub ?? thrown(missing());

/** For the error and finishing middlewares, which must answer even when the state never started. */
export const stateIfStarted = (request: HubRequest): HubState | undefined => request.internal.hub;

/** Gives the handler function the state (it is called with the event and context only). */
export const handState = (request: HubRequest): void => {
  request.context.hub = stateOf(request);
};

/** The state, in the handler function. */
export const handlerState = (context: HubContext): HubState => context.hub ?? thrown(missing());

const thrown = (error: Error): never => {
  throw error;
};
