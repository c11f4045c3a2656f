import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Caller } from '../identity/caller.js';
import type { RequestLogger } from '../logger.js';
import type { RouteDef } from '../../functions/routes.js';
import type { AuditRecord } from '../schemas/audit.js';

/** What a handler returns; the stack serialises it. */
export interface HttpResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  /** JSON-serialised unless a string with an explicit content type. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Resources this response disclosed; reads append one audit record each before responding. */
  readonly audit?: readonly AuditTarget[];
}

export type AuditTarget = Pick<AuditRecord, 'resourceType' | 'resourceId' | 'action'>;

/** Per-request state the middlewares share. */
export interface HubState {
  readonly route: RouteDef;
  readonly startedAt: number;
  correlationId: string;
  log: RequestLogger;
  caller?: Caller;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  resource?: unknown;
  idempotency?: { key: string; requestHash: string };
  /** A stored response for this caller's key and request: answered only after authorisation. */
  replay?: { response: { statusCode: number; headers: Record<string, string>; body: string }; audit: readonly AuditTarget[] };
  expectedVersion?: number;
}

export type HubRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> & { hub: HubState };
export type HubMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

export const stateOf = (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>): HubState => (request as HubRequest).hub;

/** The handler function sees only (event, context): it finds the request's state by its event. */
const byEvent = new WeakMap<object, HubState>();
export const bindState = (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>, state: HubState): void => {
  (request as HubRequest).hub = state;
  byEvent.set(request.event, state);
};
export const stateForEvent = (event: APIGatewayProxyEvent): HubState => {
  const state = byEvent.get(event);
  if (!state) throw new Error('No request state: the correlation middleware must run first');
  return state;
};

/** API Gateway passes headers as the client sent them; HTTP header names are case-insensitive. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value ?? undefined;
  return undefined;
}
