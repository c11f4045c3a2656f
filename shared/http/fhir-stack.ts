/**
 * The FHIR R4 facade's middleware stack: the same caller model, 404/400/422/403 stages,
 * idempotency, audit and commit as `apiRoute` (stack.ts), with three FHIR differences:
 * bodies are `application/fhir+json` (or application/json), BaRS's `X-Request-ID` is the
 * idempotency key (same replay rules as `Idempotency-Key`), and every error is an
 * OperationOutcome (middleware/fhir-errors.ts), never problem+json.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { RouteDef } from './route.js';
import { clock } from '../time.js';
import { commit, serialize } from './commit.js';
import { auditReads } from './middleware/audit-reads.js';
import { authorize, type Authorizer } from './middleware/authorize.js';
import { callerFromClaims } from './middleware/caller.js';
import { correlation } from './middleware/correlation.js';
import { FHIR_CONTENT_TYPE, mapFhirErrors } from './middleware/fhir-errors.js';
import { finishResponse } from './middleware/finish.js';
import { handToHandler } from './middleware/hand-to-handler.js';
import { IDEMPOTENCY_HEADER, idempotency, replayResult } from './middleware/idempotency.js';
import { pathParams } from './middleware/path-params.js';
import { resource, type Loader } from './middleware/resource.js';
import { validation } from './middleware/validation.js';
import { parseJsonBody } from './json-body.js';
import { rejectBody } from './middleware/no-body.js';
import { HttpProblem } from './problem.js';
import { header, type HttpResult } from './types.js';
import { handlerState, stateOf, type HubContext, type HubMiddleware, type HubState } from './request-state.js';
import type { ApiRouteSpec, RunContext } from './stack.js';

export const REQUEST_ID_HEADER = 'X-Request-ID';
export { FHIR_CONTENT_TYPE };

/** 415 unless FHIR JSON (or plain JSON); then the same strict parse as every JSON body. */
const fhirJsonBody = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const { event } = request;
    if (state.route.request?.body) {
      const type = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== FHIR_CONTENT_TYPE && type !== 'application/json')
        throw new HttpProblem('unsupported-media-type', 'Send the body as application/fhir+json (UTF-8).');
      const params = (header(event, 'content-type') ?? '').split(';').slice(1).join(';');
      state.json = parseJsonBody(event.body, event.isBase64Encoded, `application/json${params ? `;${params}` : ''}`);
    } else {
      rejectBody(event);
    }
  },
});

/** BaRS: X-Request-ID is the retry key. An explicit Idempotency-Key must then agree with it. */
const requestIdAsKey = (): HubMiddleware => ({
  before: (request) => {
    const requestId = header(request.event, REQUEST_ID_HEADER);
    if (requestId === undefined) return;
    const key = header(request.event, IDEMPOTENCY_HEADER);
    if (key !== undefined && key !== requestId)
      throw new HttpProblem('validation', 'X-Request-ID and Idempotency-Key differ: send one retry key.', {
        errors: [{ pointer: '/headers/X-Request-ID', message: 'differs from Idempotency-Key' }],
      });
    request.event.headers = { ...(request.event.headers ?? {}), [IDEMPOTENCY_HEADER]: requestId };
  },
});

const respond = (state: HubState, result: HttpResult): APIGatewayProxyResult => {
  if (result.audit?.length) state.readAudit = result.audit;
  return serialize({ ...result, contentType: result.contentType ?? FHIR_CONTENT_TYPE });
};

/** An authorised FHIR route. */
export function fhirRoute<const D extends RouteDef, R = undefined>(route: D, spec: ApiRouteSpec<D, R>) {
  if (route.auth === 'public') throw new Error(`${route.id} is public: use fhirPublicRoute`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
    .use(correlation(route))
    .use(finishResponse())
    .use(mapFhirErrors())
    .use(callerFromClaims())
    .use(pathParams())
    .use(resource(spec.load as Loader | undefined))
    .use(fhirJsonBody())
    .use(validation())
    .use(requestIdAsKey())
    .use(idempotency())
    .use(authorize(spec.authorize as Authorizer | undefined))
    .use(auditReads())
    .use(handToHandler())
    .handler(async (event, context) => {
      const state = handlerState(context);
      if (state.replay) return respond(state, replayResult(state.replay));
      const now = clock.now();
      const ctx = {
        caller: state.caller!,
        params: state.params,
        query: state.query,
        body: state.body,
        resource: state.resource as R,
        expectedVersion: state.expectedVersion,
        now,
        state,
        event,
        commit: (input) =>
          commit(
            state,
            { ...input, result: { ...input.result, contentType: input.result.contentType ?? FHIR_CONTENT_TYPE } },
            now,
          ),
      } as RunContext<D, R>;
      return respond(state, await spec.run(ctx));
    });
}

/** A public FHIR route (the CapabilityStatement): correlation, headers, OperationOutcome errors. */
export function fhirPublicRoute(route: RouteDef, run: (ctx: { state: HubState; now: Date }) => Promise<HttpResult>) {
  if (route.auth !== 'public') throw new Error(`${route.id} needs authorisation: use fhirRoute`);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, HubContext>()
    .use(correlation(route))
    .use(finishResponse())
    .use(mapFhirErrors())
    .use(validation())
    .use(handToHandler())
    .handler(async (_event, context) => {
      const state = handlerState(context);
      return respond(state, await run({ state, now: clock.now() }));
    });
}
