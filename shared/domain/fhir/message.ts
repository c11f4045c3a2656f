/**
 * Messages the Hub sends: the $process-message response (MessageHeader + Task) and the FHIR
 * feedback webhook (MessageHeader + the updated Task), both Bundles of type message. Pure: ids
 * and times come in, so a replay or a retried delivery carries the same message.
 */
import type { Bundle, MessageHeader, Task } from '@medplum/fhirtypes';
import { BARS_MESSAGE_EVENTS, RESPONSE_EVENT } from './codes.js';
import { FHIR_BASE } from './capability.js';

const HUB_ENDPOINT = `https://amhp-referral-hub.example${FHIR_BASE}`;

interface MessageInput {
  /** The Bundle's and header's id (a message id, the same on every retry). */
  readonly id: string;
  readonly timestamp: string;
  readonly task: Task;
  /** The request message this answers (its MessageHeader.id), when there is one. */
  readonly respondsTo?: string;
  readonly event?: string;
}

export function taskMessage(input: MessageInput): Bundle {
  const taskUrl = `${HUB_ENDPOINT}/Task/${input.task.id}`;
  const header: MessageHeader = {
    resourceType: 'MessageHeader',
    id: input.id,
    eventCoding: { system: BARS_MESSAGE_EVENTS, code: input.event ?? RESPONSE_EVENT },
    source: { name: 'AMHP Referral Hub', endpoint: HUB_ENDPOINT },
    ...(input.respondsTo ? { response: { identifier: input.respondsTo, code: 'ok' as const } } : {}),
    focus: [{ reference: taskUrl }],
  };
  return {
    resourceType: 'Bundle',
    id: input.id,
    meta: { lastUpdated: input.timestamp },
    type: 'message',
    timestamp: input.timestamp,
    entry: [
      { fullUrl: `${HUB_ENDPOINT}/MessageHeader/${input.id}`, resource: header },
      { fullUrl: taskUrl, resource: input.task },
    ],
  };
}
