/** Correlation id: echoed when the client sends a sane one, generated otherwise; in every log line. */
import { ulid } from 'ulid';
import { requestLogger } from '../../logger.js';
import type { RouteDef } from '../../../functions/routes.js';
import { bindState, header, type HubMiddleware } from '../types.js';

/**
 * A client's correlation id is logged as sent, so only ids that cannot carry an NHS number, a
 * phone number or a date of birth are kept: 8–128 id characters, no run of more than six
 * digits (UUIDs and ULIDs pass). Anything else is replaced by our own.
 */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const LONG_DIGIT_RUN = /\d{7,}/;
const isSane = (id: string) => SANE_ID.test(id) && !LONG_DIGIT_RUN.test(id);
export const CORRELATION_HEADER = 'X-Correlation-ID';

export const correlation = (route: RouteDef): HubMiddleware => ({
  before: (request) => {
    const sent = header(request.event, CORRELATION_HEADER);
    const correlationId = sent && isSane(sent) ? sent : ulid();
    bindState(request, {
      route,
      startedAt: Date.now(),
      correlationId,
      log: requestLogger({ correlationId, route: route.id, requestId: request.context?.awsRequestId ?? 'local' }),
    });
  },
});
