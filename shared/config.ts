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

let matchKey: Promise<Buffer> | undefined;
/**
 * The key of the person-match hash (duplicate detection), kept outside the data: locally
 * `PERSON_MATCH_KEY` (base64, from a generated key file); in AWS the Secrets Manager secret
 * named by `PERSON_MATCH_KEY_SECRET_ARN`, read once per container.
 */
export const personMatchKey = (env: NodeJS.ProcessEnv = process.env): Promise<Buffer> =>
  (matchKey ??= (async () => {
    if (env.PERSON_MATCH_KEY) {
      const key = Buffer.from(env.PERSON_MATCH_KEY, 'base64');
      if (key.length < 32) throw new ConfigError('PERSON_MATCH_KEY must be at least 32 bytes, base64');
      return key;
    }
    if (!env.PERSON_MATCH_KEY_SECRET_ARN) throw new ConfigError('Missing environment: PERSON_MATCH_KEY or PERSON_MATCH_KEY_SECRET_ARN');
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: env.PERSON_MATCH_KEY_SECRET_ARN }));
    client.destroy();
    if (!out.SecretString || out.SecretString.length < 32) throw new ConfigError('The person-match secret is missing or too short');
    return Buffer.from(out.SecretString, 'utf8');
  })().catch((error) => {
    matchKey = undefined;
    throw error;
  }));
/** The process's configuration, loaded on first use and then kept. */
export const config = (): Config => (cached ??= loadConfig());
