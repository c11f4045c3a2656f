/**
 * Header names and formats the Hub enforces or emits, named once: the middleware and the
 * OpenAPI document read them from here, so the document describes what the server does.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** 8 to 128 letters, digits or `._:-` (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{8,128}$';
export const IDEMPOTENCY_KEY_FORMAT = new RegExp(IDEMPOTENCY_KEY_PATTERN);
export const RATE_LIMIT_POLICY_HEADER = 'RateLimit-Policy';
export const DEPRECATION_HEADER = 'Deprecation';
export const SUNSET_HEADER = 'Sunset';
