/**
 * One concern, the 422 stage: Idempotency-Key, so a retried write cannot happen twice. A key this caller (organisation,
 * client and person) used before
 * with a different request is refused here; with the same request the first response is replayed,
 * but only at the handler stage, after the 403 checks have passed again (`replayResult`), and the
 * replay is audited like the read it is. The record itself is written by `commit`, in the
 * change's own transaction.
 */
import { findIdempotencyRecord } from '../../data/idempotency-repository.js';
import { canonicalJson, sha256 } from '../canonical-json.js';
import { HttpProblem } from '../problem.js';
import { header, type HttpResult } from '../types.js';
import { stateOf, type HubMiddleware, type HubState } from '../request-state.js';

import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_FORMAT as KEY_FORMAT, REPLAYED_HEADER } from '../headers.js';

export { IDEMPOTENCY_HEADER, REPLAYED_HEADER };

export const requestHashOf = (method: string, path: string, body: unknown): string =>
  sha256(canonicalJson({ method, path, body: body ?? null }));

export const replayOf = (response: { statusCode: number; headers: Record<string, string>; body: string }) => ({
  statusCode: response.statusCode,
  headers: { ...response.headers, [REPLAYED_HEADER]: 'true' },
  body: response.body,
});

/** A replay as a handler result: the stored response, and one `replay` audit record per resource it was about. */
export const replayResult = (replay: NonNullable<HubState['replay']>): HttpResult => {
  const r = replayOf(replay.response);
  return {
    statusCode: r.statusCode,
    headers: r.headers,
    body: r.body === '' ? undefined : r.body,
    contentType: replay.response.headers['Content-Type'] ?? 'application/json',
    audit: replay.audit.map((t) => ({ ...t, action: 'replay' as const })),
  };
};

export const reusedKey = () =>
  new HttpProblem(
    'idempotency-key-reused',
    'This Idempotency-Key was used with a different request in the last 24 hours. Use a new key for a new request.',
  );

export const idempotency = (): HubMiddleware => ({
  before: async (request) => {
    const state = stateOf(request);
    const mode = state.route.request?.idempotencyKey;
    const key = header(request.event, IDEMPOTENCY_HEADER);
    if (!mode) return;
    if (key === undefined) {
      if (mode === 'required') {
        throw new HttpProblem(
          'validation',
          'An Idempotency-Key header is required: a new unique value per request, reused only to retry it.',
          {
            errors: [{ pointer: '/headers/Idempotency-Key', message: 'required' }],
          },
        );
      }
      return;
    }
    if (!KEY_FORMAT.test(key)) {
      throw new HttpProblem(
        'validation',
        'The Idempotency-Key must be 8 to 128 letters, digits or ._:- (a UUID is ideal).',
        {
          errors: [{ pointer: '/headers/Idempotency-Key', message: 'invalid format' }],
        },
      );
    }
    const requestHash = requestHashOf(request.event.httpMethod, request.event.path, state.body);
    if (state.route.request?.idempotencyLookup === 'on-conflict') {
      state.idempotency = { key, requestHash };
      return;
    }
    const stored = await findIdempotencyRecord(state.caller!, key, Date.now());
    if (stored) {
      if (stored.requestHash !== requestHash) throw reusedKey();
      state.replay = { response: stored.response, audit: stored.audit };
      return;
    }
    state.idempotency = { key, requestHash };
  },
});
