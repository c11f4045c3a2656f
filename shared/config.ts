/**
 * Configuration read once per container, failing fast on anything missing, so that a
 * misconfigured function dies at init rather than on a user's request.
 */
import { TABLE_ENV, TABLE_IDS, type TableId } from '../infra/tables.js';

export interface Config {
  readonly tables: Record<TableId, string>;
  /** Only set locally: DynamoDB Local's endpoint. In AWS the SDK's default endpoint is used. */
  readonly dynamoEndpoint: string | undefined;
  readonly region: string;
  readonly serviceName: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const missing = TABLE_IDS.filter((id) => !env[TABLE_ENV[id]]).map((id) => TABLE_ENV[id]);
  if (missing.length) throw new ConfigError(`Missing environment: ${missing.join(', ')}`);
  return {
    tables: Object.fromEntries(TABLE_IDS.map((id) => [id, env[TABLE_ENV[id]]!])) as Record<TableId, string>,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || 'eu-west-2',
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'amhp-referral-hub',
  };
}

let cached: Config | undefined;
/** The process's configuration, loaded on first use and then kept. */
export const config = (): Config => (cached ??= loadConfig());
