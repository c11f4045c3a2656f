/**
 * The alert deliveries' request and response shapes (DOMAIN §9): apart from safety.ts because a
 * delivery carries the whole alert message (events/schemas/alert-message.ts), which only the two
 * delivery routes need to build at start-up (#21).
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { ALERT_KINDS, AlertMessage } from '../../events/schemas/alert-message.js';
import { Cursor, deliveryProgressShape, Limit, UtcTimestamp } from './common.js';

const DeliveryStatus = z.enum(['pending', 'delivered', 'parked', 'cancelled']);
export const AlertDeliveriesQuery = z.strictObject({
  status: z.optional(DeliveryStatus),
  limit: Limit,
  cursor: z.optional(Cursor),
});
export const AlertDeliveryIdParams = z.object({ id: z.string().check(z.minLength(1)).check(z.maxLength(200)) });

export const AlertDeliveryView = z.object({
  id: z.string(),
  alertId: z.string(),
  repeat: z.number().check(z.int()),
  event: z.enum(ALERT_KINDS),
  ...deliveryProgressShape(DeliveryStatus),
  attemptLog: z.array(
    z.object({
      at: UtcTimestamp,
      result: z.string(),
      statusCode: z.optional(z.number().check(z.int())),
      durationMs: z.number().check(z.int()),
    }),
  ),
  message: AlertMessage,
});
export const AlertDeliveryPage = z.object({ items: z.array(AlertDeliveryView), nextCursor: z.nullable(z.string()) });
