/** Roles of DOMAIN §1 and OAuth scopes of ARCHITECTURE "Identity". No AWS imports. */

export const ROLES = ['referrer', 'amhp-lead', 'amhp', 'bed-manager', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  'referrals.write',
  'referrals.read',
  'referrals.manage',
  'capacity.write',
  'capacity.read',
  'places.read',
  'feedback.manage',
  'extracts.read',
  'extracts.records',
  'audit.read',
] as const;
export type Scope = (typeof SCOPES)[number];

/** The resource server identifier: Cognito prefixes every custom scope with it. */
export const RESOURCE_SERVER = 'hub';
export const fullScope = (scope: Scope): string => `${RESOURCE_SERVER}/${scope}`;

/**
 * Each client's scopes follow from its role. `extracts.records` is deliberately absent: it is
 * granted per client under a data-sharing agreement (registry `extraScopes`), never by role.
 */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  referrer: ['referrals.write', 'referrals.read', 'places.read', 'feedback.manage'],
  'amhp-lead': ['referrals.read', 'referrals.manage', 'capacity.read', 'places.read', 'feedback.manage'],
  amhp: ['referrals.read', 'referrals.manage', 'capacity.read', 'places.read'],
  'bed-manager': ['capacity.write', 'capacity.read', 'places.read'],
  analyst: ['extracts.read'],
  auditor: ['audit.read'],
};

/** Roles that are only ever people (person-made decisions need an `actorId`). */
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
