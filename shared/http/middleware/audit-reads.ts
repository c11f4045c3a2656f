/**
 * Reads of identifiable data append one audit record per resource they disclosed before the
 * response leaves; when that fails the read fails closed (503). Writes audit in their own
 * transaction (see commit.ts), so this only handles responses that carry `audit` targets and
 * were not written by a commit.
 */
import { appendAudit, newAuditRecord } from '../../data/audit-repository.js';
import { HttpProblem } from '../problem.js';
import { stateOf, type AuditTarget, type HubMiddleware, type HubState } from '../types.js';

export const AUDIT_TARGETS = Symbol('auditTargets');

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
    const targets = (request.response as unknown as { [AUDIT_TARGETS]?: AuditTarget[] } | undefined)?.[AUDIT_TARGETS];
    if (!targets?.length || !request.response) return;
    try {
      await appendAudit(auditRecordsFor(state, targets, request.response.statusCode, new Date()));
    } catch (error) {
      state.log.error('audit write failed; read refused', { errorName: (error as Error).name });
      throw new HttpProblem('unavailable', 'The access audit could not be written, so nothing was disclosed. Try again shortly.', {
        headers: { 'Retry-After': '5' },
      });
    }
  },
});
