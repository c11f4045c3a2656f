/** GET /v1/me: the caller as the registry describes it (the console decides its views from this). */
import { apiRoute } from '../../shared/http/stack.js';
import { getIdentity, getOrganisation } from '../../shared/data/registry-repository.js';
import type { MeView } from '../../shared/schemas/me.js';
import { getMeRoute } from '../routes/get-me.js';

export const handler = apiRoute(getMeRoute, {
  run: async ({ caller }) => {
    const [organisation, person] = await Promise.all([
      getOrganisation(caller.organisationId),
      caller.actorId ? getIdentity('person', caller.actorId) : undefined,
    ]);
    const me: MeView = {
      kind: caller.actorId ? 'person' : 'system',
      role: caller.role,
      organisationId: caller.organisationId,
      organisationName: organisation?.name ?? caller.organisationId,
      agencyType: caller.agencyType,
      lssas: [...caller.lssas],
      ...(person?.record && 'displayName' in person.record ? { displayName: person.record.displayName } : {}),
      ...(caller.amhpId ? { amhpId: caller.amhpId } : {}),
    };
    return { statusCode: 200, body: me };
  },
});
