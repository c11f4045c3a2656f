/**
 * FHIR feedback (DOMAIN §6, issue #19 item 4): the referrer's webhook message as a Bundle of
 * type message (MessageHeader + the updated Task). Built from the minimised JSON feedback
 * message, never from the referral, so a FHIR subscriber learns exactly what a JSON one does.
 * Pure; ids follow the message's (referral, sequence), the same on every retry and replay.
 */
import type { Bundle, Task, TaskOutput } from '@medplum/fhirtypes';
import type { FeedbackMessage } from '../feedback.js';
import { CS, DATA_ABSENT_EXT, ID } from './codes.js';
import { TASK_STATUS } from './task.js';
import { taskMessage } from './message.js';

/** MessageHeader.eventCoding for a feedback message: the Hub event (e.g. referral.allocated). */
export const FEEDBACK_EVENT = 'servicerequest-response';

const output = (code: string, value: Omit<TaskOutput, 'type'>): TaskOutput => ({
  type: { coding: [{ system: CS.taskOutput, code }] },
  ...value,
});

export function feedbackTask(message: FeedbackMessage): Task {
  const d = message.data;
  const s = TASK_STATUS[d.status] ?? { status: 'received' as const, business: d.status, display: d.status };
  const outputs: TaskOutput[] = [];
  if (d.event === 'not-accepted' && d.disposition) outputs.push(output('disposition', { valueString: d.disposition }));
  if ((d.event === 'outcome-recorded' || d.event === 'outcome-amended') && d.disposition)
    outputs.push(output('outcome', { valueString: d.disposition }));
  if (d.nextSteps) outputs.push(output('next-steps', { valueString: d.nextSteps }));
  if (d.expectedAttendanceAt) outputs.push(output('expected-attendance', { valueDateTime: d.expectedAttendanceAt }));
  if (d.clock?.expiresAt) outputs.push(output(`clock-breached-${d.clock.power}`, { valueDateTime: d.clock.expiresAt }));
  return {
    resourceType: 'Task',
    id: d.referralId,
    meta: { lastUpdated: message.timestamp },
    identifier: [
      { system: ID.hubReference, value: d.reference },
      { system: ID.referrerReference, value: d.referrerReference },
    ],
    basedOn: [{ reference: `ServiceRequest/${d.referralId}` }],
    status: s.status,
    businessStatus: { coding: [{ system: CS.businessStatus, code: s.business, display: s.display }], text: s.display },
    ...(d.event === 'not-accepted' && d.disposition ? { statusReason: { text: d.disposition } } : {}),
    intent: 'order',
    focus: { reference: `ServiceRequest/${d.referralId}` },
    for: { extension: [{ url: DATA_ABSENT_EXT, valueCode: 'masked' }] },
    lastModified: message.timestamp,
    ...(outputs.length ? { output: outputs } : {}),
  };
}

/** The FHIR webhook body for one feedback message. */
export const fhirFeedbackMessage = (message: FeedbackMessage): Bundle =>
  taskMessage({
    id: `${message.data.referralId}-${message.data.sequence}`,
    timestamp: message.timestamp,
    task: feedbackTask(message),
    event: FEEDBACK_EVENT,
  });
