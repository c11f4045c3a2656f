/**
 * The caller the domain decides about (DOMAIN §1): organisation, role, LSSAs, client and, for
 * a signed-in person, their id (and register id for AMHPs). Resolving it from a token and the
 * registry is shared/identity/caller.ts; the domain only needs its shape.
 */
import type { Role } from '../identity/roles.js';

export interface Caller {
  readonly organisationId: string;
  readonly agencyType: string;
  readonly role: Role;
  readonly lssas: readonly string[];
  readonly clientId: string;
  /** Set when a signed-in person calls: their `sub`. Person-made decisions need it. */
  readonly actorId?: string;
  /** Set for AMHPs on the register. */
  readonly amhpId?: string;
}
