import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as z from 'zod/mini';
import {
  ApiGatewayProxyEvent,
  DynamoDbStreamEvent,
  FEEDBACK_EVENT_TYPES,
  FEEDBACK_MESSAGES,
  KinesisChangeRecord,
  KinesisStreamEvent,
  ScheduledEvent,
  StoredEvent,
  FhirFeedbackMessage,
  FhirReferralMessage,
  type FeedbackEventType,
} from '../events/schemas/index.js';
import { eventItem, stateItem, subjectOf } from '../shared/data/referral-repository.js';
import { buildFeedbackMessage } from '../shared/domain/feedback.js';
import { AlertMessage } from '../events/schemas/alert-message.js';
import { buildAlertMessage } from '../shared/domain/safety.js';
import { newReference } from '../shared/domain/reference.js';
import type { ReferralRecord } from '../shared/domain/referral.js';
import { decide, receive } from '../shared/domain/referral-transition.js';
import { ReferralCreate, REFERRAL_CREATE_EXAMPLE } from '../shared/schemas/referral.js';
import { ReferralEventInput } from '../shared/schemas/referral-events.js';
import { aeS52Message, ambulanceS136Message } from '../shared/domain/fhir/examples.js';
import { fhirFeedbackMessage } from '../shared/domain/fhir/feedback.js';
import type { FeedbackMessage } from '../shared/domain/feedback.js';
import { REGION, ACCOUNT, changeOf, dynamoDbRecord, kinesisChange, kinesisRecord } from './sample-records.js';

export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'events', 'samples');

export interface Sample {
  /** Path under events/samples/. */
  readonly file: string;
  readonly schema: z.ZodMiniType;
  readonly value: unknown;
}

const REFERRAL_ID = '01KA2B3C4D5E6F7G8H9J0K1M2N';
const RECEIVED_AT = new Date('2026-11-14T23:52:00.000Z');
const REVIEWED_AT = new Date('2026-11-14T23:55:00.000Z');
const ACCEPTED_AT = new Date('2026-11-14T23:58:00.000Z');
const referrerCaller = {
  organisationId: 'police-a',
  agencyType: 'police',
  clientId: 'police-a-triage',
  role: 'referrer',
} as const;
/** The service's lead, signed in to the console. */
const lead = { organisationId: 'amhp-service', role: 'amhp-lead', actorId: 'sub-dana', amhpId: 'amhp-dana' } as const;

/** A fixed reference with a valid check symbol. */
const reference = (() => {
  let i = 0;
  return newReference((max) => (i++ * 7 + 3) % max);
})();

/** The referral as received, and as the AMHP lead's `accept` left it, with their events. */
function referralStory() {
  const received = receive({
    body: ReferralCreate.parse(REFERRAL_CREATE_EXAMPLE),
    id: REFERRAL_ID,
    reference,
    serviceId: 'amhp-service',
    referrer: {
      organisationId: referrerCaller.organisationId,
      agencyType: referrerCaller.agencyType,
      clientId: referrerCaller.clientId,
    },
    now: RECEIVED_AT,
  });
  const receivedEvent: StoredEvent = {
    seq: 1,
    type: 'received',
    at: received.receivedAt,
    organisationId: referrerCaller.organisationId,
    clientId: referrerCaller.clientId,
    role: referrerCaller.role,
    system: false,
    data: received.flags?.length ? { flagsRaised: received.flags.map((f) => f.code) } : {},
    subject: subjectOf(received),
  };
  const step = (record: ReferralRecord, input: unknown, now: Date) => {
    const decision = decide({ record, event: ReferralEventInput.parse(input), sender: lead, now });
    if (!decision.ok)
      throw new Error(`the sample ${String((input as { type: string }).type)} was refused: ${decision.refusal.code}`);
    const event: StoredEvent = {
      seq: decision.next.changeSeq,
      ...decision.event,
      organisationId: lead.organisationId,
      clientId: 'console',
      role: lead.role,
      actorId: lead.actorId,
      amhpId: lead.amhpId,
      system: false,
      subject: subjectOf(decision.next),
    };
    return { next: decision.next, event };
  };
  const reviewed = step(received, { type: 'start-review' }, REVIEWED_AT).next;
  const { next: accepted, event: acceptedEvent } = step(
    reviewed,
    { type: 'accept', reason: 'Detained under s.136 at A&E: an assessment is needed within the detention period.' },
    ACCEPTED_AT,
  );
  return { received, receivedEvent, reviewed, accepted, acceptedEvent };
}

/** As the local HTTP adapter builds it for POST /v1/referrals, with the authorizer's claims. */
function createReferralEvent() {
  const body = JSON.stringify(REFERRAL_CREATE_EXAMPLE);
  const requestId = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  const epoch = RECEIVED_AT.getTime();
  const headers = {
    Host: 'localhost:3000',
    Authorization: 'Bearer <access token of police-a-triage>',
    'Content-Type': 'application/json',
    'Idempotency-Key': '0b6a6f1e-3c1d-4f7a-9b2e-5d8c7a6b4e30',
    'Content-Length': String(Buffer.byteLength(body)),
  };
  const iat = Math.floor(epoch / 1000) - 60;
  return {
    resource: '/v1/referrals',
    path: '/v1/referrals',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      authorizer: {
        claims: {
          sub: referrerCaller.clientId,
          client_id: referrerCaller.clientId,
          scope: 'hub/referrals.write',
          token_use: 'access',
          auth_time: String(iat),
          jti: '3d4c5b6a-7980-4a1b-8c2d-3e4f5a6b7c8d',
          version: '2',
          iss: 'http://localhost:3000',
          iat: 'Sat Nov 14 23:51:00 UTC 2026',
          exp: 'Sun Nov 15 00:51:00 UTC 2026',
        },
      },
      domainName: 'localhost:3000',
      domainPrefix: 'localhost',
      extendedRequestId: requestId,
      httpMethod: 'POST',
      identity: { sourceIp: '127.0.0.1', userAgent: 'partner-system/1.0' },
      path: '/local/v1/referrals',
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: RECEIVED_AT.toUTCString(),
      requestTimeEpoch: epoch,
      resourceId: 'createReferral',
      resourcePath: '/v1/referrals',
      stage: 'local',
    },
  };
}

/** As the local scheduler's eventFor: EventBridge's minute schedule. */
const scheduledEvent = (ruleId: string) => ({
  version: '0',
  id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: ACCOUNT,
  time: '2026-11-15T00:00:00Z',
  region: REGION,
  resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${ruleId}`],
  detail: {},
});

/** What each feedback type's recorded event holds (more than the message may carry). */
const FEEDBACK_STORY: Record<FeedbackEventType, { status: string; data: Record<string, unknown> }> = {
  accepted: { status: 'accepted', data: {} },
  'not-accepted': {
    status: 'not-accepted',
    data: {
      disposition: 'signposted',
      nextSteps: 'Crisis team to contact him tomorrow morning.',
      reason: 'Internal triage note, never sent',
    },
  },
  allocated: { status: 'allocated', data: { amhpId: 'amhp-0001', expectedAttendanceAt: '2026-11-15T01:30:00Z' } },
  'outcome-recorded': {
    status: 'outcome-recorded',
    data: {
      outcome: 'informal-admission',
      nextSteps: 'Admitted informally to the acute ward.',
      writtenReasons: 'Never sent',
    },
  },
  'outcome-amended': {
    status: 'outcome-recorded',
    data: { outcome: 'detained-s2', nextSteps: 'Detained under s.2; the ward has the papers.' },
  },
  withdrawn: { status: 'withdrawn', data: { reason: 'Never sent' } },
  'clock-breached': {
    status: 'accepted',
    data: { power: 's136', expiresAt: '2026-11-15T23:40:00Z', clockId: 'detention' },
  },
};

export function buildSamples(): Sample[] {
  const { received, receivedEvent, reviewed, accepted, acceptedEvent } = referralStory();
  const receivedState = stateItem(received, undefined);
  const reviewedState = stateItem(reviewed, undefined);
  const acceptedState = stateItem(accepted, undefined);
  const insertEvent = changeOf('INSERT', '000000000000000000201', ACCEPTED_AT, eventItem(REFERRAL_ID, acceptedEvent));
  const modifyState = changeOf('MODIFY', '000000000000000000200', ACCEPTED_AT, acceptedState, reviewedState);
  const insertState = changeOf('INSERT', '000000000000000000100', RECEIVED_AT, receivedState);

  const webhooks = FEEDBACK_EVENT_TYPES.map((type, i): Sample => {
    const story = FEEDBACK_STORY[type];
    const message = buildFeedbackMessage({
      seq: acceptedEvent.seq + i,
      type,
      at: new Date(ACCEPTED_AT.getTime() + i * 600_000).toISOString(),
      data: story.data,
      subject: { ...acceptedEvent.subject, status: story.status },
    });
    return { file: `webhooks/referral.${type}.json`, schema: FEEDBACK_MESSAGES[type], value: message };
  });

  return [
    { file: 'api-gateway/create-referral.json', schema: ApiGatewayProxyEvent, value: createReferralEvent() },
    { file: 'stored/referral-event-received.json', schema: StoredEvent, value: receivedEvent },
    { file: 'stored/referral-event-accepted.json', schema: StoredEvent, value: acceptedEvent },
    {
      file: 'dynamodb-stream/referral-event-insert.json',
      schema: DynamoDbStreamEvent,
      value: { Records: [dynamoDbRecord(insertEvent)] },
    },
    {
      file: 'dynamodb-stream/referral-state-modify.json',
      schema: DynamoDbStreamEvent,
      value: { Records: [dynamoDbRecord(modifyState)] },
    },
    {
      file: 'kinesis/referral-state-insert.json',
      schema: KinesisStreamEvent,
      value: { Records: [kinesisRecord(insertState, 'analytics')] },
    },
    {
      file: 'kinesis/referral-state-modify.json',
      schema: KinesisStreamEvent,
      value: { Records: [kinesisRecord(modifyState, 'analytics')] },
    },
    {
      file: 'kinesis/referral-state-modify.change.json',
      schema: KinesisChangeRecord,
      value: kinesisChange(modifyState),
    },
    { file: 'schedule/minute.json', schema: ScheduledEvent, value: scheduledEvent('clockSweep') },
    ...webhooks,
    { file: 'fhir/ambulance-s136.json', schema: FhirReferralMessage, value: ambulanceS136Message() },
    { file: 'fhir/ae-s5-2.json', schema: FhirReferralMessage, value: aeS52Message() },
    // What a subscription with format fhir receives for the allocation (the JSON webhook's content).
    {
      file: 'fhir/feedback.referral.allocated.json',
      schema: FhirFeedbackMessage,
      value: fhirFeedbackMessage(
        webhooks.find((w) => w.file === 'webhooks/referral.allocated.json')!.value as FeedbackMessage,
      ),
    },
    ...alertSamples(acceptedEvent.subject.referralId, acceptedEvent.subject.reference),
  ];
}

/** The alert channel's messages (DOMAIN §9): a safety alert's second message, and a T−2 h clock warning. */
function alertSamples(referralId: string, reference: string): Sample[] {
  const raisedAt = '2026-11-15T02:05:00.000Z';
  const overdue = buildAlertMessage(
    {
      alertId: '01JCR2N8X0QK4T6V9W3Y5Z7A1B',
      serviceId: 'amhp-service',
      kind: 'safety-check-overdue',
      raisedAt,
      referralId,
      reference,
      amhpId: 'amhp-0001',
      sent: 2,
    },
    2,
  );
  const warning = buildAlertMessage(
    {
      alertId: '01JCR2N8X0QK4T6V9W3Y5Z7A1C',
      serviceId: 'amhp-service',
      kind: 'clock-warning',
      raisedAt,
      referralId,
      reference,
      power: 's136',
      expiresAt: '2026-11-15T04:05:00Z',
      sent: 1,
    },
    1,
  );
  return [
    { file: 'webhooks/alert.safety-check-overdue.json', schema: AlertMessage, value: overdue },
    { file: 'webhooks/alert.clock-warning.json', schema: AlertMessage, value: warning },
  ];
}

/** The file's text: two-space JSON and a final newline. */
export const sampleText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every .json file under the samples folder, relative to it. */
export function committedSampleFiles(dir = SAMPLES_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const samples = buildSamples();
  for (const file of committedSampleFiles()) rmSync(join(SAMPLES_DIR, file));
  for (const s of samples) {
    s.schema.parse(s.value);
    const path = join(SAMPLES_DIR, s.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, sampleText(s.value));
  }
  console.log(`wrote ${samples.length} samples to ${relative(process.cwd(), SAMPLES_DIR)}/`);
}
