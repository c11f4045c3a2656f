/**
 * A new webhook subscription, as both a referrer's feedback subscription and the AMHP service's
 * alert channel (DOMAIN §9) are made: the URL passes the SSRF guard (a 422 on /url otherwise),
 * a Standard Webhooks secret is generated and sealed before it is stored; the caller shows the
 * plain secret once.
 */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { secretContextOf, type Subscription } from '../data/subscription-repository.js';
import { formatSecret, SECRET_BYTES } from '../domain/feedback.js';
import { checkWebhookUrl, urlPolicyFromEnv } from '../domain/ssrf.js';
import type { Caller } from '../identity/caller.js';
import { sealSecret } from '../secrets/webhook-secrets.js';
import { HttpProblem } from './problem.js';

/** The URL, normalised, once the SSRF guard accepts it. */
export async function checkedWebhookUrl(url: string): Promise<URL> {
  const checked = await checkWebhookUrl(url, urlPolicyFromEnv());
  if (!checked.ok) {
    throw new HttpProblem('validation', 'This URL cannot receive webhooks.', {
      errors: [{ pointer: '/url', message: checked.reason }],
    });
  }
  return checked.url;
}

export async function newWebhookSubscription(
  caller: Caller,
  now: Date,
  fields: Pick<Subscription, 'organisationId' | 'url' | 'events' | 'format'>,
): Promise<{ subscription: Subscription; secret: string }> {
  const id = ulid(now.getTime());
  const secret = formatSecret(randomBytes(SECRET_BYTES));
  const base = { id, organisationId: fields.organisationId };
  const subscription: Subscription = {
    ...base,
    url: fields.url,
    events: fields.events,
    ...(fields.format ? { format: fields.format } : {}),
    status: 'active',
    createdAt: now.toISOString(),
    createdByClientId: caller.clientId,
    ...(caller.actorId ? { createdByActorId: caller.actorId } : {}),
    secret: await sealSecret(secret, secretContextOf(base)),
  };
  return { subscription, secret };
}
