/**
 * Raising and repeating alerts (DOMAIN §9), shared by the safety sweep (safety alerts) and the
 * operational stream consumer (clock warnings and breaches, unlawful-place flags, ladder
 * escalations), so no handler imports another.
 *
 * Each write is ONE transaction: the alert (or its repeat), the guard that makes it happen
 * once (a check-in's or session's conditional mark, a referral event's marker), and the alert
 * channel's delivery of that message. So an alert is never raised without its message queued,
 * nor queued twice; the delivery then goes the way every webhook goes (signing, retries for
 * 24 h, parking, replay: shared/feedback/).
 */
import { ulid } from 'ulid';
import { deliveryCreateItems, deliveryProgress, newDelivery, type Delivery } from '../data/delivery-repository.js';
import {
  AlertRaced,
  alertPut,
  alertRepeatItem,
  getAlert,
  getMarker,
  getSafetySettings,
  markerPut,
  type SafetySettings,
} from '../data/safety-repository.js';
import { transact, type WriteItem } from '../data/transact.js';
import {
  alertMessageId,
  alertsOfReferralEvent,
  buildAlertMessage,
  SAFETY_REPEAT_MS,
  newAlert,
  type Alert,
  type AlertMessage,
} from '../domain/safety.js';

/** The alert channel's delivery of an alert's `repeat`th message; none when the service has no channel. */
export function alertDelivery(a: Alert, repeat: number, settings: SafetySettings, now: Date): Delivery | undefined {
  if (!settings.alertSubscriptionId) return undefined;
  return newDelivery(
    {
      channel: 'alerts',
      subscriptionId: settings.alertSubscriptionId,
      organisationId: a.serviceId,
      serviceId: a.serviceId,
      referralId: a.alertId,
      reference: a.reference ?? '',
      seq: repeat,
      eventType: a.kind,
      messageId: alertMessageId(a.alertId, repeat),
      body: JSON.stringify(buildAlertMessage(a, repeat)),
    },
    now,
  );
}

export const newAlertId = (now: Date): string => ulid(now.getTime());

/**
 * Raises an alert together with `guard` (the write that makes it happen once; its failed
 * condition throws what the caller gave it). Returns the alert and its first delivery.
 */
export async function raiseAlert(
  input: Omit<Alert, 'sent' | 'raisedAt' | 'nextRepeatAt'>,
  guard: readonly WriteItem[],
  now: Date,
): Promise<{ alert: Alert; delivery: Delivery | undefined }> {
  const alert = newAlert(input, now);
  const delivery = alertDelivery(alert, 1, await getSafetySettings(alert.serviceId), now);
  await transact([...guard, alertPut(alert), ...(delivery ? deliveryCreateItems(delivery) : [])]);
  return { alert, delivery };
}

/**
 * The next 10-minute repeat of an unacknowledged safety alert (throws AlertRaced when it was
 * acknowledged or sent meanwhile).
 */
export async function repeatAlert(a: Alert, now: Date): Promise<Delivery | undefined> {
  const next = new Date(
    Math.max(now.getTime(), Date.parse(a.nextRepeatAt ?? a.raisedAt)) + SAFETY_REPEAT_MS,
  ).toISOString();
  const delivery = alertDelivery(a, a.sent + 1, await getSafetySettings(a.serviceId), now);
  await transact([alertRepeatItem(a, next), ...(delivery ? deliveryCreateItems(delivery) : [])]);
  return delivery;
}

/** An alert delivery is wanted unless it is a safety alert acknowledged since it was queued. */
export async function alertStillWanted(d: Delivery): Promise<boolean> {
  const a = await getAlert(d.serviceId, d.referralId);
  return !a?.acknowledgedAt;
}

/** What the lead sees of one alert channel delivery. */
export function alertDeliveryView(d: Delivery) {
  return {
    id: d.deliveryId,
    alertId: d.referralId,
    repeat: d.seq,
    event: d.eventType as Alert['kind'],
    ...deliveryProgress(d),
    message: JSON.parse(d.body) as AlertMessage,
  };
}

/** A recorded referral event, as the operational consumer reads it from the stream. */
export interface ReferralEventForAlerts {
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly subject: { readonly referralId: string; readonly reference: string; readonly serviceId: string };
}

/**
 * The alerts a referral event raises (T−2 h warnings, breaches, unlawful-place flags, ladder
 * escalations), each once: its marker is written in the alert's transaction, so a redelivered
 * or replayed stream record finds it and raises nothing. Returns the new deliveries (for a first attempt).
 */
export async function raiseReferralAlerts(e: ReferralEventForAlerts, now: Date): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const { referralId, reference, serviceId } = e.subject;
  for (const [n, found] of alertsOfReferralEvent(e).entries()) {
    if (await getMarker(referralId, e.seq, n)) continue;
    try {
      const alertId = newAlertId(now);
      const { delivery } = await raiseAlert(
        { alertId, serviceId, referralId, reference, ...found },
        [markerPut(referralId, e.seq, n, alertId, serviceId)],
        now,
      );
      if (delivery) out.push(delivery);
    } catch (error) {
      if (!(error instanceof AlertRaced)) throw error;
    }
  }
  return out;
}
