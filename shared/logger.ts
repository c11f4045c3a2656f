/**
 * One Powertools logger per container. Handlers log through a per-request child that carries
 * the correlation id, so concurrent requests in the local stack never share keys. Log lines
 * carry ids and codes only: never bodies, names, NHS numbers or free text.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'amhp-referral-hub' });

export type RequestLogger = Logger;

export const requestLogger = (keys: Record<string, string>): RequestLogger =>
  logger.createChild({ persistentKeys: keys });
