/**
 * Parsing of the three request parts in status-precedence order: path parameters and the
 * resource they name first (a bad or invisible id is a 404), then the body and query (413, 415,
 * 400).
 */
import { HttpProblem } from '../problem.js';
import { parseJsonBody } from '../json-body.js';
import { parseOrThrow } from '../validation.js';
import { header, stateOf, type HubMiddleware, type HubState } from '../types.js';
import type { Caller } from '../../identity/caller.js';

export type Loader = (ctx: { caller: Caller; params: any; state: HubState }) => Promise<unknown | undefined>;

export const NOT_FOUND_DETAIL = 'No such resource, or it is not visible to you.';

export const pathAndResource = (load?: Loader): HubMiddleware => ({
  before: async (request) => {
    const state = stateOf(request);
    const schema = state.route.request?.params;
    if (schema) {
      const parsed = schema.safeParse(request.event.pathParameters ?? {});
      // An id that cannot exist is simply not found; its shape says nothing useful to a client.
      if (!parsed.success) throw new HttpProblem('not-found', NOT_FOUND_DETAIL);
      state.params = parsed.data;
    }
    if (load) {
      const resource = await load({ caller: state.caller!, params: state.params, state });
      if (resource === undefined) throw new HttpProblem('not-found', NOT_FOUND_DETAIL);
      state.resource = resource;
    }
  },
});

const queryObject = (event: Parameters<NonNullable<HubMiddleware['before']>>[0]['event']): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    const all = multi[k];
    out[k] = all && all.length > 1 ? all : (v ?? '');
  }
  return out;
};

export const bodyAndQuery = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const { body, query } = state.route.request ?? {};
    if (body) {
      const raw = parseJsonBody(request.event.body, request.event.isBase64Encoded, header(request.event, 'content-type'));
      state.body = parseOrThrow(body, 'body', raw);
    } else if (request.event.body && request.event.body.length > 0 && request.event.httpMethod !== 'GET') {
      throw new HttpProblem('validation', 'This operation takes no request body.', { errors: [{ pointer: '', message: 'not allowed' }] });
    }
    if (query) state.query = parseOrThrow(query, 'query', queryObject(request.event));
    else if (Object.keys(request.event.queryStringParameters ?? {}).length) {
      const names = Object.keys(request.event.queryStringParameters ?? {});
      throw new HttpProblem('validation', 'This operation takes no query parameters.', {
        errors: names.map((n) => ({ pointer: `/query/${n}`, message: 'unknown parameter' })),
      });
    }
  },
});
