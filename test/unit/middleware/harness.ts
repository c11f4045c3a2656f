/**
 * What the middleware unit tests share: a route, a proxy event and a context to call a bare
 * middy handler with, and a `given` middleware that starts the request state the way the
 * correlation middleware does, so each test runs only the middleware it is about.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { vi } from 'vitest';
import type { RouteDef } from '../../../functions/routes.js';
import type { Caller } from '../../../shared/identity/caller.js';
import { testRoute } from '../../support/test-route.js';
import { requestLogger } from '../../../shared/logger.js';
import { startState, type HubContext, type HubMiddleware, type HubState } from '../../../shared/http/request-state.js';

export const route = (over: Partial<RouteDef> = {}): RouteDef =>
  testRoute({
    id: 'testRoute',
    path: '/test/{id}',
    handler: 'test/unit/middleware/harness.ts',
    summary: 'a test route',
    ...over,
  });

export const event = (over: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    path: '/test/1',
    resource: '/test/{id}',
    headers: {},
    multiValueHeaders: {},
    body: null,
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {},
    ...over,
  }) as APIGatewayProxyEvent;

export const context = (): HubContext => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: 'test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export const system: Caller = {
  organisationId: 'police-a',
  agencyType: 'police',
  role: 'referrer',
  lssas: ['L1'],
  clientId: 'police-a-triage',
};
export const person: Caller = {
  ...system,
  organisationId: 'amhp-service',
  agencyType: 'amhp-service',
  role: 'amhp',
  clientId: 'console',
  actorId: 'sub-1',
};

/** A state as the correlation middleware starts it, with a logger whose lines are captured. */
export const stateFor = (r: RouteDef, extra: Partial<HubState> = {}): HubState => {
  const log = requestLogger({ correlationId: 'corr-test-0001', route: r.id, requestId: 'request-1' });
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(log, level).mockImplementation(() => undefined);
  return { route: r, startedAt: Date.now(), correlationId: 'corr-test-0001', log, ...extra };
};

/** Starts the request with this state: the test keeps the object and reads what the middleware wrote. */
export const given = (state: HubState): HubMiddleware => ({ before: (request) => void startState(request, state) });

export const ok = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{"ok":true}',
});
