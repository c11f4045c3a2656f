/**
 * Every identity of the seeded registry as a test principal (machine clients and people), with
 * the scopes its token carries: the security tests enumerate callers from here so a new client
 * or person in the registry is covered without editing them.
 */
import { loadRegistry } from '../../infra/local/seed.js';
import { ROLE_SCOPES, type Role } from '../../shared/identity/roles.js';
import type { TestApi } from './api.js';

export interface Principal {
  /** `client:<clientId>` or `person:<username>`. */
  readonly key: string;
  readonly kind: 'client' | 'person';
  readonly organisationId: string;
  readonly role: Role;
  /** What the Hub records as the actor: the client id, or the person's `sub`. */
  readonly subject: string;
  /** Short scope names the token carries (what the registry grants; what the issuer signs). */
  readonly scopes: ReadonlySet<string>;
  /** The LSSAs of the principal's organisation. */
  readonly lssas: readonly string[];
  readonly token: string;
}

export async function registryPrincipals(api: TestApi): Promise<Principal[]> {
  const registry = loadRegistry();
  const lssasOf = (organisationId: string) =>
    registry.organisations.find((o) => o.organisationId === organisationId)?.lssas ?? [];
  const clients = registry.clients.map(
    async (c): Promise<Principal> => ({
      key: `client:${c.clientId}`,
      kind: 'client',
      organisationId: c.organisationId,
      role: c.role,
      subject: c.clientId,
      scopes: new Set([...ROLE_SCOPES[c.role], ...c.extraScopes]),
      lssas: lssasOf(c.organisationId),
      token: await api.clientToken(c.clientId),
    }),
  );
  const people = registry.people.map(
    async (p): Promise<Principal> => ({
      key: `person:${p.username}`,
      kind: 'person',
      organisationId: p.organisationId,
      role: p.role,
      subject: p.sub,
      scopes: new Set(ROLE_SCOPES[p.role]),
      lssas: lssasOf(p.organisationId),
      token: await api.personToken(p.username),
    }),
  );
  return Promise.all([...clients, ...people]);
}

/** A problem body without what differs per request (correlation id, instance). */
export const problemShape = (body: unknown) => {
  const { correlationId: _c, instance: _i, ...rest } = (body ?? {}) as Record<string, unknown>;
  return rest;
};
