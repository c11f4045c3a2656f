/**
 * PUT /v1/alert-channel: the AMHP service's alert channel (DOMAIN §9) and check-in grace. The
 * channel is a webhook subscription exactly like a referrer's (functions/feedback/create-
 * subscription.ts): the URL passes the SSRF guard, a new Standard Webhooks secret is generated,
 * sealed, and shown once, in this answer. Setting it again replaces the channel (the old
 * subscription is tombstoned: its pending messages are cancelled, as a deleted feedback one's).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { checkedWebhookUrl, newWebhookSubscription } from '../../shared/http/webhook-subscription.js';
import { getSafetySettings, settingsPut, type SafetySettings } from '../../shared/data/safety-repository.js';
import { getSubscription, subscriptionDelete, subscriptionPut } from '../../shared/data/subscription-repository.js';
import type { WriteItem } from '../../shared/data/transact.js';
import { ALERT_KINDS } from '../../shared/domain/safety.js';
import { putAlertChannelRoute } from '../routes/put-alert-channel.js';

export const handler = apiRoute(putAlertChannelRoute, {
  run: async ({ caller, body, now, commit }) => {
    const url = await checkedWebhookUrl(body.url);
    const serviceId = caller.organisationId;
    const previous = await getSafetySettings(serviceId);
    const { subscription, secret } = await newWebhookSubscription(caller, now, {
      organisationId: serviceId,
      url: url.href,
      events: [...ALERT_KINDS],
    });
    const id = subscription.id;
    const settings: SafetySettings = {
      serviceId,
      graceMinutes: body.graceMinutes,
      alertSubscriptionId: id,
      updatedAt: now.toISOString(),
    };
    const items: WriteItem[] = [subscriptionPut(subscription), settingsPut(settings)];
    const old = previous.alertSubscriptionId
      ? await getSubscription(serviceId, previous.alertSubscriptionId)
      : undefined;
    if (old?.status === 'active') items.push(subscriptionDelete(serviceId, old.id, now.toISOString()));
    const view = {
      subscriptionId: id,
      url: subscription.url,
      graceMinutes: settings.graceMinutes,
      createdAt: subscription.createdAt,
    };
    const result = await commit({
      items,
      result: { statusCode: 200, body: view },
      audit: [{ resourceType: 'subscription', resourceId: id, action: 'create' }],
    });
    // The secret only here, never in anything stored.
    return { ...result, body: { ...view, secret }, contentType: 'application/json' };
  },
});
