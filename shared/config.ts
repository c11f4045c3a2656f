/**
 * Configuration read once per container, failing fast on anything missing, so that a
 * misconfigured function dies at init rather than on a user's request.
 */
import { TABLE_ENV, TABLE_IDS, type TableId } from './data/tables.js';
import { ENV } from './env.js';

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
    dynamoEndpoint: env[ENV.dynamodbEndpoint] || undefined,
    region: env.AWS_REGION || 'eu-west-2',
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'amhp-referral-hub',
  };
}

let cached: Config | undefined;

/**
 * Keys held outside the data: locally an environment variable (base64, from a generated key
 * file); in AWS a Secrets Manager secret named by `<NAME>_SECRET_ARN`, read once per container.
 */
export const SECRET_ENV = {
  personMatchKey: 'PERSON_MATCH_KEY',
  pseudonymisationKey: 'PSEUDONYMISATION_KEY',
  /** Signs list cursors (shared/http/cursor.ts), so a forged or altered one is refused. */
  cursorKey: 'CURSOR_KEY',
} as const;
export type SecretKeyId = keyof typeof SECRET_ENV;

const secretCache = new Map<SecretKeyId, Promise<Buffer>>();

export function secretKey(id: SecretKeyId, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  let pending = secretCache.get(id);
  if (!pending) {
    const name = SECRET_ENV[id];
    pending = (async () => {
      const local = env[name];
      if (local) {
        const key = Buffer.from(local, 'base64');
        if (key.length < 32) throw new ConfigError(`${name} must be at least 32 bytes, base64`);
        return key;
      }
      const arn = env[`${name}_SECRET_ARN`];
      if (!arn) throw new ConfigError(`Missing environment: ${name} or ${name}_SECRET_ARN`);
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const client = new SecretsManagerClient({});
      const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      client.destroy();
      if (!out.SecretString || out.SecretString.length < 32)
        throw new ConfigError(`The ${id} secret is missing or too short`);
      return Buffer.from(out.SecretString, 'utf8');
    })().catch((error) => {
      secretCache.delete(id);
      throw error;
    });
    secretCache.set(id, pending);
  }
  return pending;
}

/** The key of the person-match hash (duplicate detection). */
export const personMatchKey = (env: NodeJS.ProcessEnv = process.env): Promise<Buffer> =>
  secretKey('personMatchKey', env);

/** The key list cursors are signed with. */
export const cursorKey = (env: NodeJS.ProcessEnv = process.env): Promise<Buffer> => secretKey('cursorKey', env);

/** The process's configuration, loaded on first use and then kept. */
export const config = (): Config => (cached ??= loadConfig());
