/**
 * One concern: reads of identifiable data append one audit record per resource they disclosed
 * before the response leaves; when that fails the read fails closed (503), because a disclosure
 * nobody can account for is worse than none. Writes audit in their own transaction (see
 * commit.ts), so this only handles the targets the stack put in the request state
 * (`readAudit`) for responses that were not written by a commit.
 */
import { appendAudit, newAuditRecord } from '../../data/audit-repository.js';
import { HttpProblem } from '../problem.js';
import type { AuditTarget } from '../types.js';
import { stateOf, type HubMiddleware, type HubState } from '../request-state.js';

export const auditRecordsFor = (state: HubState, targets: readonly AuditTarget[], result: number, now: Date) =>
  targets.map((t) =>
    newAuditRecord(
      {
        ...t,
        organisationId: state.caller!.organisationId,
        clientId: state.caller!.clientId,
        ...(state.caller!.actorId ? { actorId: state.caller!.actorId } : {}),
        route: state.route.id,
        method: state.route.method,
        result,
        correlationId: state.correlationId,
      },
      now,
    ),
  );

export const auditReads = (): HubMiddleware => ({
  after: async (request) => {
    const state = stateOf(request);
    const targets = state.readAudit;
    if (!targets?.length || !request.response) return;
    try {
      await appendAudit(auditRecordsFor(state, targets, request.response.statusCode, new Date()));
    } catch (error) {
      state.log.error('audit write failed; read refused', { errorName: (error as Error).name });
      throw new HttpProblem(
        'unavailable',
        'The access audit could not be written, so nothing was disclosed. Try again shortly.',
        {
          headers: { 'Retry-After': '5' },
        },
      );
    }
  },
});
