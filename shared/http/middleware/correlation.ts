/** Correlation id: echoed when the client sends a sane one, generated otherwise; in every log line. */
import { ulid } from 'ulid';
import { requestLogger } from '../../logger.js';
import type { RouteDef } from '../../../functions/routes.js';
import { bindState, header, type HubMiddleware } from '../types.js';

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
export const CORRELATION_HEADER = 'X-Correlation-ID';

export const correlation = (route: RouteDef): HubMiddleware => ({
  before: (request) => {
    const sent = header(request.event, CORRELATION_HEADER);
    const correlationId = sent && SANE_ID.test(sent) ? sent : ulid();
    bindState(request, {
      route,
      startedAt: Date.now(),
      correlationId,
      log: requestLogger({ correlationId, route: route.id, requestId: request.context?.awsRequestId ?? 'local' }),
    });
  },
});
