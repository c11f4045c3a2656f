/**
 * A service's calendar from the registry (DOMAIN §7: in-hours times and bank holidays are
 * registry data, not code): the organisation record's `calendar`, or the default. Read at most
 * once a minute per container per service, like the registry settings.
 */
import { getOrganisation } from './registry-repository.js';
import { calendarOf, type ServiceCalendar } from '../deidentify/service-calendar.js';

const cache = new Map<string, { value: ServiceCalendar; until: number }>();

export async function serviceCalendar(serviceId: string | undefined, now = Date.now()): Promise<ServiceCalendar> {
  const id = serviceId ?? '';
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.value;
  const org = id ? await getOrganisation(id) : undefined;
  const value = calendarOf(id, org?.calendar);
  cache.set(id, { value, until: now + 60_000 });
  return value;
}
