import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getAmhp, putAmhp, type AmhpEntry } from '../../shared/data/amhp-repository.js';
import { putAmhpRoute } from '../routes/put-amhp.js';

export const handler = apiRoute(putAmhpRoute, {
  // Absent is fine (this creates it); another service's entry is not visible.
  load: async ({ caller, params }) => {
    const entry = await getAmhp(params.amhpId);
    if (entry && entry.serviceId !== caller.organisationId) return undefined;
    return { existing: entry ?? null };
  },
  run: async ({ caller, params, body, resource, expectedVersion, now, commit }) => {
    const { existing } = resource;
    if (existing && expectedVersion === undefined) {
      throw new HttpProblem('precondition-required', 'This entry exists: send If-Match with its ETag to replace it.');
    }
    if ((existing && expectedVersion !== existing.version) || (!existing && expectedVersion !== undefined)) {
      throw new HttpProblem('precondition-failed', 'If-Match does not name the current version of this entry.');
    }
    const outside = body.authorisedLssas
      .map((code, i) => ({ code, i }))
      .filter(({ code }) => !caller.lssas.includes(code));
    if (outside.length) {
      throw new HttpProblem('validation', 'An AMHP can only be authorised for LSSAs this service acts for.', {
        errors: outside.map(({ i }) => ({ pointer: `/authorisedLssas/${i}`, message: 'not an LSSA of this service' })),
      });
    }
    const entry: AmhpEntry = {
      amhpId: params.amhpId,
      serviceId: caller.organisationId,
      ...body,
      authorisedLssas: [...new Set(body.authorisedLssas)],
      version: (existing?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
    };
    return commit({
      items: [putAmhp(entry, existing?.version ?? null)],
      result: {
        statusCode: existing ? 200 : 201,
        headers: { ETag: etagOf(entry.version), ...(existing ? {} : { Location: `/v1/amhps/${entry.amhpId}` }) },
        body: entry,
      },
      audit: [{ resourceType: 'amhp', resourceId: entry.amhpId, action: existing ? 'update' : 'create' }],
    });
  },
});
