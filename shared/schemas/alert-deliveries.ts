/**
 * The alert deliveries' request and response shapes (DOMAIN §9): apart from safety.ts because a
 * delivery carries the whole alert message (events/schemas/alert-message.ts), which only the two
 * delivery routes need to build at start-up (#21).
 */
import * as z from 'zod';
import { ALERT_KINDS, AlertMessage } from '../../events/schemas/alert-message.js';
import { Cursor, deliveryProgressShape, Limit, UtcTimestamp } from './common.js';

const DeliveryStatus = z.enum(['pending', 'delivered', 'parked', 'cancelled']);
export const AlertDeliveriesQuery = z
  .object({ status: DeliveryStatus.optional(), limit: Limit, cursor: z.optional(Cursor) })
  .strict();
export const AlertDeliveryIdParams = z.object({ id: z.string().min(1).max(200) });

export const AlertDeliveryView = z.object({
  id: z.string(),
  alertId: z.string(),
  repeat: z.number().int(),
  event: z.enum(ALERT_KINDS),
  ...deliveryProgressShape(DeliveryStatus),
  attemptLog: z.array(
    z.object({
      at: UtcTimestamp,
      result: z.string(),
      statusCode: z.number().int().optional(),
      durationMs: z.number().int(),
    }),
  ),
  message: AlertMessage,
});
export const AlertDeliveryPage = z.object({ items: z.array(AlertDeliveryView), nextCursor: z.string().nullable() });
