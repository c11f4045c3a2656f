/**
 * One concern, the 400 stage: the parsed body, then the query, against the route's schemas,
 * each refusal naming the places (JSON Pointers) and never the values. A route without a query
 * schema refuses every query parameter, so a misspelt filter is never silently ignored.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { HttpProblem } from '../problem.js';
import { parseOrThrow } from '../validation.js';
import { stateOf, type HubMiddleware } from '../request-state.js';

const queryObject = (event: APIGatewayProxyEvent): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    const all = multi[k];
    out[k] = all && all.length > 1 ? all : (v ?? '');
  }
  return out;
};

export const validation = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const { body, query } = state.route.request ?? {};
    if (body) state.body = parseOrThrow(body, 'body', state.json);
    if (query) state.query = parseOrThrow(query, 'query', queryObject(request.event));
    else if (Object.keys(request.event.queryStringParameters ?? {}).length) {
      const names = Object.keys(request.event.queryStringParameters ?? {});
      throw new HttpProblem('validation', 'This operation takes no query parameters.', {
        errors: names.map((n) => ({ pointer: `/query/${n}`, message: 'unknown parameter' })),
      });
    }
  },
});
