/**
 * One concern: tell an authorised caller its limits for this operation (`RateLimit-Policy`,
 * shared/http/rate-limits.ts), on every answer once the caller is known, errors included, so a
 * client can pace itself before it meets a 429.
 */
import { ENV } from '../../env.js';
import { RATE_LIMIT_POLICY_HEADER } from '../headers.js';
import { parseRateLimitScales, planScale, rateLimitPolicy, scaledThrottle } from '../rate-limits.js';
import { stateIfStarted, type HubMiddleware, type HubRequest } from '../request-state.js';

const addPolicy = (request: HubRequest): void => {
  const state = stateIfStarted(request);
  if (!state?.caller || !request.response) return;
  const scales = parseRateLimitScales(process.env[ENV.rateLimitScales]);
  const throttle = scaledThrottle(state.route.throttle, planScale(scales, state.caller));
  request.response = {
    ...request.response,
    headers: { ...(request.response.headers ?? {}), [RATE_LIMIT_POLICY_HEADER]: rateLimitPolicy(throttle) },
  };
};

export const rateLimitHeaders = (): HubMiddleware => ({ after: addPolicy, onError: addPolicy });
