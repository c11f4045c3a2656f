/** One page of feedback deliveries as the delivery list routes answer it (subscription-wide or service-wide). */
import { deliveryView, type DeliveryPageResult } from '../data/delivery-repository.js';
import { encodeCursor } from './cursor.js';

export async function deliveryPageResponse(page: DeliveryPageResult, scope: string) {
  const items = page.items.map(deliveryView);
  return {
    statusCode: 200,
    body: { items, nextCursor: page.lastKey ? await encodeCursor(page.lastKey, scope) : null },
    // Messages are about referrals: one audit record per referral disclosed.
    audit: [...new Set(items.map((i) => i.referralId))].map((id) => ({
      resourceType: 'referral' as const,
      resourceId: id,
      action: 'list' as const,
    })),
  };
}
