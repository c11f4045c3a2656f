/**
 * One concern: the correlation id, echoed when the client sends a sane one and generated
 * otherwise, so a partner can quote it and every log line of the request carries it. It runs
 * first in every stack because it also starts the request's state that the others share.
 */
import { ulid } from 'ulid';
import { requestLogger } from '../../logger.js';
import type { RouteDef } from '../route.js';
import { header } from '../types.js';
import { startState, type HubMiddleware } from '../request-state.js';

/**
 * A client's correlation id is echoed and logged as sent, so only shapes that cannot carry an
 * NHS number, a phone number or a date of birth are kept: a UUID, a ULID, or 8–64 letters,
 * digits and hyphens with no run of 6 or more digits (hyphens ignored, so "943-476-5919" and
 * "2026-11-14" count as runs) and nothing date-like ("14-11-92"). Anything else is replaced by
 * a fresh ULID; the client still gets the id we used back in the response.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const PLAIN = /^[A-Za-z0-9-]{8,64}$/;
const DIGIT_RUN = /\d{6,}/;
const DATE_LIKE = /(?:^|\D)(?:\d{1,4}-\d{1,2}-\d{1,4})(?:\D|$)/;
export const isSafeCorrelationId = (id: string): boolean =>
  UUID.test(id) || ULID.test(id) || (PLAIN.test(id) && !DIGIT_RUN.test(id.replace(/-/g, '')) && !DATE_LIKE.test(id));
export const CORRELATION_HEADER = 'X-Correlation-ID';

export const correlation = (route: RouteDef): HubMiddleware => ({
  before: (request) => {
    const sent = header(request.event, CORRELATION_HEADER);
    const correlationId = sent && isSafeCorrelationId(sent) ? sent : ulid();
    startState(request, {
      route,
      startedAt: Date.now(),
      correlationId,
      log: requestLogger({ correlationId, route: route.id, requestId: request.context?.awsRequestId ?? 'local' }),
    });
  },
});
