/**
 * Hub → FHIR: a referral as the referrer may see it (referrerView, DOMAIN §1: no AMHP notes,
 * no reasons, nothing of the person) becomes a `Task` whose status and businessStatus follow
 * the lifecycle, and a minimised `ServiceRequest`. Pure; built from the minimised view only,
 * so nothing the referrer may not see can reach a FHIR response.
 */
import type { Reference, ServiceRequest, Task, TaskOutput } from '@medplum/fhirtypes';
import type { referrerView } from '../referral.js';
import { CS, DATA_ABSENT_EXT, ID, PRIORITY_OF_URGENCY } from './codes.js';

export type ReferrerView = ReturnType<typeof referrerView>;

/** Hub status → Task.status and the businessStatus code and display the partner sees. */
export const TASK_STATUS: Record<string, { status: Task['status']; business: string; display: string }> = {
  received: { status: 'received', business: 'received', display: 'Received' },
  'under-review': { status: 'received', business: 'under-review', display: 'Under review' },
  accepted: { status: 'accepted', business: 'accepted', display: 'Accepted' },
  'not-accepted': { status: 'rejected', business: 'declined', display: 'Declined' },
  allocated: { status: 'in-progress', business: 'allocated', display: 'AMHP allocated' },
  'assessment-in-progress': {
    status: 'in-progress',
    business: 'assessment-in-progress',
    display: 'Assessment in progress',
  },
  'outcome-recorded': { status: 'completed', business: 'outcome-recorded', display: 'Outcome recorded' },
  closed: { status: 'completed', business: 'closed', display: 'Closed' },
  withdrawn: { status: 'cancelled', business: 'withdrawn', display: 'Withdrawn' },
};

const statusOf = (s: string) => TASK_STATUS[s] ?? { status: 'received' as const, business: s, display: s };
const output = (code: string, value: Omit<TaskOutput, 'type'>): TaskOutput => ({
  type: { coding: [{ system: CS.taskOutput, code }] },
  ...value,
});

/** The subject is withheld from status views: the referrer sent it, the Hub does not echo it. */
const WITHHELD: Reference = { extension: [{ url: DATA_ABSENT_EXT, valueCode: 'masked' }] };

export function taskOf(v: ReferrerView): Task {
  const s = statusOf(v.status);
  const outputs: TaskOutput[] = [];
  if (v.triage?.disposition) outputs.push(output('disposition', { valueString: v.triage.disposition }));
  if (v.triage?.nextSteps) outputs.push(output('next-steps', { valueString: v.triage.nextSteps }));
  if (v.allocation) outputs.push(output('expected-attendance', { valueDateTime: v.allocation.expectedAttendanceAt }));
  if (v.outcome) {
    outputs.push(output('outcome', { valueString: v.outcome.outcome }));
    outputs.push(output('next-steps', { valueString: v.outcome.nextSteps }));
  }
  // The statutory deadline now in force (an extension moves it), per power.
  for (const c of v.clocks)
    if (!c.endedAt) outputs.push(output(`clock-${c.power}`, { valueDateTime: c.extendedUntil ?? c.expiresAt }));
  return {
    resourceType: 'Task',
    id: v.id,
    meta: { versionId: String(v.version), lastUpdated: v.updatedAt },
    identifier: [
      { system: ID.hubReference, value: v.reference },
      { system: ID.referrerReference, value: v.referrerReference },
    ],
    basedOn: [{ reference: `ServiceRequest/${v.id}` }],
    status: s.status,
    businessStatus: { coding: [{ system: CS.businessStatus, code: s.business, display: s.display }], text: s.display },
    ...(v.status === 'not-accepted' && v.triage?.disposition ? { statusReason: { text: v.triage.disposition } } : {}),
    intent: 'order',
    priority: PRIORITY_OF_URGENCY[v.urgency as keyof typeof PRIORITY_OF_URGENCY] ?? 'routine',
    focus: { reference: `ServiceRequest/${v.id}` },
    for: WITHHELD,
    authoredOn: v.receivedAt,
    lastModified: v.updatedAt,
    owner: { identifier: { system: ID.lssa, value: v.responsibleLssa } },
    ...(outputs.length ? { output: outputs } : {}),
  };
}

const SR_STATUS: Record<string, ServiceRequest['status']> = {
  'not-accepted': 'revoked',
  withdrawn: 'revoked',
  'outcome-recorded': 'completed',
  closed: 'completed',
};

/** The referral as a ServiceRequest: identifiers, priority, status; the person withheld. */
export function serviceRequestOf(v: ReferrerView): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: v.id,
    meta: { versionId: String(v.version), lastUpdated: v.updatedAt },
    identifier: [
      { system: ID.referrerReference, value: v.referrerReference },
      { system: ID.hubReference, value: v.reference },
    ],
    status: SR_STATUS[v.status] ?? 'active',
    intent: 'order',
    category: [{ coding: [{ system: CS.basis, code: v.basis }] }],
    priority: PRIORITY_OF_URGENCY[v.urgency as keyof typeof PRIORITY_OF_URGENCY] ?? 'routine',
    subject: WITHHELD as ServiceRequest['subject'],
    authoredOn: v.receivedAt,
    performer: [{ identifier: { system: ID.lssa, value: v.responsibleLssa } }],
  };
}
