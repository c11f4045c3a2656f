import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { ROLES, SCOPES } from '../../shared/identity/roles.js';
import { MeView } from '../../shared/schemas/me.js';

export const getMeRoute = {
  id: 'getMe',
  method: 'GET',
  path: '/v1/me',
  handler: 'functions/me/get.ts',
  // Any valid token: every caller may learn who the Hub takes it to be.
  auth: { scopes: SCOPES, roles: ROLES },
  throttle: READ_THROTTLE,
  summary: 'The caller as the Hub sees it: organisation, role, LSSAs (and, for people, their name)',
  description:
    'Who the Hub takes the token to be: organisation, agency type, role, LSSAs and, for a person, their ' +
    'name. Useful as a first call.',
  tags: ['identity'],
  response: { status: 200, body: MeView },
} as const satisfies RouteDef;
