/**
 * Turns the authorizer's claims into the caller the domain works with. Tokens carry no custom
 * claims: organisation, role and LSSAs come from the registry (`client_id` for systems, `sub`
 * for people). Anything that does not resolve is a 401, like a bad token.
 */
import {
  forgetSettings,
  getCallerRecords,
  getOrganisation,
  REGISTRY_CACHE_MS,
  type ClientRecord,
  type OrganisationFacts,
  type PersonRecord,
} from '../data/registry-repository.js';
import { HttpProblem } from '../http/problem.js';
import { isRole } from './roles.js';

export type { Caller } from '../domain/caller.js';
import type { Caller } from '../domain/caller.js';

export type Claims = Record<string, string | undefined>;

const cache = new Map<string, { caller: Caller; until: number }>();

const unauthorized = (detail: string) =>
  new HttpProblem('unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });

export async function resolveCaller(claims: Claims | undefined, now = Date.now()): Promise<Caller> {
  if (!claims) throw unauthorized('No verified token reached the handler.');
  if (claims.token_use !== 'access') throw unauthorized('An access token is required.');
  const clientId = claims.client_id;
  const sub = claims.sub;
  if (!clientId || !sub) throw unauthorized('The token does not name its client.');

  const cacheKey = `${clientId}|${sub}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > now) return hit.caller;

  // One round trip on a cold container: both records and the settings (with each organisation's
  // facts). A person's token is issued to the people app client; anything else is a machine client.
  const { client, person, settings } = await getCallerRecords(clientId, sub, now);
  const peopleClients = settings?.peopleClientIds ?? [];
  let record: ClientRecord | PersonRecord | undefined;
  let actorId: string | undefined;
  if (peopleClients.includes(clientId)) {
    record = person;
    actorId = sub;
  } else {
    record = client;
  }
  if (!record || !isRole(record.role)) throw unauthorized('The token belongs to no registered client or person.');
  // Settings written before an organisation was added lack its facts: read its own item then.
  const organisation: OrganisationFacts | undefined =
    settings?.organisations?.[record.organisationId] ?? (await getOrganisation(record.organisationId));
  if (!organisation) throw unauthorized('The caller belongs to no registered organisation.');

  const caller: Caller = {
    organisationId: record.organisationId,
    agencyType: organisation.agencyType,
    role: record.role,
    lssas: organisation.lssas,
    clientId,
    ...(actorId ? { actorId } : {}),
    ...('amhpId' in record && record.amhpId ? { amhpId: record.amhpId } : {}),
  };
  cache.set(cacheKey, { caller, until: now + REGISTRY_CACHE_MS });
  return caller;
}

/** Tests that change the registry clear what this container remembered. */
export const forgetCallers = (): void => {
  cache.clear();
  forgetSettings();
};
