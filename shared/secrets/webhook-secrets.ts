/**
 * Webhook signing secrets are stored encrypted (DOMAIN §6, ARCHITECTURE data model: streams and
 * backups copy items, so a plaintext secret would travel with them). Each is sealed with an
 * encryption context naming its subscription, so a sealed value moved to another item does not
 * open.
 *
 * - In AWS: KMS Encrypt/Decrypt with the key named by FEEDBACK_KMS_KEY_ARN.
 * - Locally: AES-256-GCM with a key from FEEDBACK_SECRET_KEY (base64, tests set it) or a key
 *   file generated beside the local data (`.local/feedback-secret.key`), so sealed secrets
 *   survive a restart of the local stack.
 *
 * Lambda never falls back to a key file: without FEEDBACK_KMS_KEY_ARN it refuses to start.
 */
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { ENV } from '../env.js';

export type SealedSecret =
  | { alg: 'aws-kms'; keyId: string; ciphertext: string }
  | { alg: 'local-aes-256-gcm'; iv: string; tag: string; ciphertext: string };

export type SecretContext = Record<string, string>;

export const KMS_KEY_ENV = ENV.feedbackKmsKeyArn;
export const LOCAL_KEY_ENV = ENV.feedbackSecretKey;
export const LOCAL_KEY_FILE_ENV = ENV.feedbackSecretKeyFile;

/** The additional authenticated data of the local cipher: the context, keys sorted. */
const aadOf = (context: SecretContext): Buffer =>
  Buffer.from(
    JSON.stringify(
      Object.keys(context)
        .sort()
        .map((k) => [k, context[k]]),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Local key.

let localKey: { source: string; key: Buffer } | undefined;

function localKeyOf(env: NodeJS.ProcessEnv): Buffer {
  const inline = env[LOCAL_KEY_ENV];
  const file =
    env[LOCAL_KEY_FILE_ENV] ??
    join(dirname(resolve(env[ENV.localDataDir] ?? '.local/dynamodb')), 'feedback-secret.key');
  const source = inline ? `env:${createHash('sha256').update(inline).digest('hex')}` : `file:${file}`;
  if (localKey?.source === source) return localKey.key;
  let material: Buffer;
  if (inline) {
    material = Buffer.from(inline, 'base64');
  } else {
    if (env.AWS_LAMBDA_FUNCTION_NAME) throw new ConfigError(`Missing environment: ${KMS_KEY_ENV}`);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    material = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
  if (material.length < 32) throw new ConfigError(`${LOCAL_KEY_ENV} must hold at least 32 bytes, base64`);
  const key = material.length === 32 ? material : createHash('sha256').update(material).digest();
  localKey = { source, key };
  return key;
}

// ---------------------------------------------------------------------------------------------
// KMS, with one client per container (created on first use).
let kms: KMSClient | undefined;
const kmsClient = () => (kms ??= new KMSClient({}));

// ---------------------------------------------------------------------------------------------

export async function sealSecret(
  plaintext: string,
  context: SecretContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SealedSecret> {
  const keyArn = env[KMS_KEY_ENV];
  if (keyArn) {
    const out = await kmsClient().send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from(plaintext, 'utf8'), EncryptionContext: context }),
    );
    if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return {
      alg: 'aws-kms',
      keyId: out.KeyId ?? keyArn,
      ciphertext: Buffer.from(out.CiphertextBlob).toString('base64'),
    };
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', localKeyOf(env), iv);
  cipher.setAAD(aadOf(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'local-aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Opened secrets are kept a few minutes per container: one KMS call per subscription, not per delivery. */
const OPEN_CACHE_MS = 5 * 60_000;
const opened = new Map<string, { value: string; until: number }>();

export async function openSecret(
  sealed: SealedSecret,
  context: SecretContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const key = sealed.alg === 'aws-kms' ? undefined : localKeyOf(env);
  const keyName = key
    ? createHash('sha256').update(key).digest('base64')
    : sealed.alg === 'aws-kms'
      ? sealed.keyId
      : '';
  const cacheKey = `${keyName}|${sealed.ciphertext}|${aadOf(context).toString('base64')}`;
  const hit = opened.get(cacheKey);
  if (hit && hit.until > Date.now()) return hit.value;
  let value: string;
  if (sealed.alg === 'aws-kms') {
    const out = await kmsClient().send(
      new DecryptCommand({
        KeyId: sealed.keyId,
        CiphertextBlob: Buffer.from(sealed.ciphertext, 'base64'),
        EncryptionContext: context,
      }),
    );
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    value = Buffer.from(out.Plaintext).toString('utf8');
  } else {
    const decipher = createDecipheriv('aes-256-gcm', key!, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aadOf(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    value = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }
  if (opened.size > 1000) opened.clear();
  opened.set(cacheKey, { value, until: Date.now() + OPEN_CACHE_MS });
  return value;
}
