/**
 * events/samples/ cannot drift: regenerated in memory (scripts/generate-samples.ts), they must
 * equal the committed files, and each must parse with its schema from events/schemas/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSamples, committedSampleFiles, sampleText, SAMPLES_DIR } from '../../scripts/generate-samples.js';
import {
  changeOfKinesisRecord,
  DynamoDbStreamEvent,
  FEEDBACK_EVENT_TYPES,
  FEEDBACK_MESSAGES,
  FeedbackMessage,
  KinesisStreamEvent,
  StoredEvent,
  AlertMessage,
} from '../../events/schemas/index.js';
import { buildFeedbackMessage } from '../../shared/domain/feedback.js';
import { feedbackSourceOf } from '../../functions/stream/operational.js';
import { ReferralCreate } from '../../shared/schemas/referral.js';
import { loadSample } from '../support/samples.js';

const samples = buildSamples();

describe('event samples', () => {
  it('the committed files are exactly what npm run samples writes', () => {
    expect(committedSampleFiles()).toEqual(samples.map((s) => s.file).sort());
    for (const s of samples) {
      expect(readFileSync(join(SAMPLES_DIR, s.file), 'utf8'), `${s.file} differs: run npm run samples`).toBe(
        sampleText(s.value),
      );
    }
  });

  it.each(samples.map((s) => [s.file, s] as const))('%s parses with its schema', (_file, s) => {
    const parsed = s.schema.safeParse(JSON.parse(readFileSync(join(SAMPLES_DIR, s.file), 'utf8')));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('covers a webhook payload of every feedback type, each closed to its own fields', () => {
    for (const type of FEEDBACK_EVENT_TYPES) {
      const message = loadSample(`webhooks/referral.${type}.json`);
      expect(FeedbackMessage.parse(message).type).toBe(`referral.${type}`);
      for (const other of FEEDBACK_EVENT_TYPES) {
        if (other !== type)
          expect(FEEDBACK_MESSAGES[other].safeParse(message).success, `${type} as ${other}`).toBe(false);
      }
    }
    // A field another type carries is refused.
    const accepted = loadSample<{ data: Record<string, unknown> }>('webhooks/referral.accepted.json');
    expect(
      FEEDBACK_MESSAGES.accepted.safeParse({ ...accepted, data: { ...accepted.data, disposition: 'advice' } }).success,
    ).toBe(false);
  });

  it('the stream INSERT carries the stored event the operational consumer turns into the webhook', () => {
    const event = DynamoDbStreamEvent.parse(loadSample('dynamodb-stream/referral-event-insert.json'));
    const source = feedbackSourceOf(event.Records[0] as never);
    expect(source).toBeDefined();
    const stored = StoredEvent.parse(loadSample('stored/referral-event-accepted.json'));
    expect(source).toEqual({
      seq: stored.seq,
      type: stored.type,
      at: stored.at,
      data: stored.data,
      subject: stored.subject,
    });
    const message = buildFeedbackMessage(source!);
    expect(FEEDBACK_MESSAGES.accepted.parse(message)).toEqual(loadSample('webhooks/referral.accepted.json'));
    // Nothing of the event's data beyond the allow-list: the acceptance reason stays in the Hub.
    expect(JSON.stringify(message)).not.toContain(String(stored.data.reason));
  });

  it('the Kinesis records decode to the change the analytics consumer reads', () => {
    const event = KinesisStreamEvent.parse(loadSample('kinesis/referral-state-modify.json'));
    expect(changeOfKinesisRecord(event.Records[0]!)).toEqual(loadSample('kinesis/referral-state-modify.change.json'));
    const insert = changeOfKinesisRecord(
      KinesisStreamEvent.parse(loadSample('kinesis/referral-state-insert.json')).Records[0]!,
    );
    expect(insert).toMatchObject({ eventName: 'INSERT', dynamodb: { Keys: { SK: { S: 'STATE' } } } });
    expect(insert.dynamodb.OldImage).toBeUndefined();
  });

  it('the API Gateway sample carries a valid create-referral body and a referrer token', () => {
    const event = loadSample<{ body: string; requestContext: { authorizer: { claims: Record<string, string> } } }>(
      'api-gateway/create-referral.json',
    );
    expect(ReferralCreate.safeParse(JSON.parse(event.body)).success).toBe(true);
    expect(event.requestContext.authorizer.claims).toMatchObject({
      token_use: 'access',
      client_id: 'police-a-triage',
      scope: 'hub/referrals.write',
    });
  });

  it('a schema refuses a record of another shape (the checks can fail)', () => {
    const kinesis = loadSample('kinesis/referral-state-modify.json');
    expect(DynamoDbStreamEvent.safeParse(kinesis).success).toBe(false);
    const insert = loadSample<{ Records: { dynamodb: Record<string, unknown> }[] }>(
      'dynamodb-stream/referral-event-insert.json',
    );
    const extra = { Records: [{ ...insert.Records[0], dynamodb: { ...insert.Records[0]!.dynamodb, Surprise: 1 } }] };
    expect(DynamoDbStreamEvent.safeParse(extra).success).toBe(false);
  });

  it('the alert channel’s message (DOMAIN §9) is closed: no person, no address can ride along', () => {
    const message = AlertMessage.parse(loadSample('webhooks/alert.safety-check-overdue.json'));
    expect(message.type).toBe('alert.safety-check-overdue');
    expect(message.data).toMatchObject({ untilAcknowledged: true, repeat: 2 });
    expect(
      AlertMessage.safeParse({ ...message, data: { ...message.data, address: { lines: ['1 High Street'] } } }).success,
    ).toBe(false);
    expect(AlertMessage.safeParse({ ...message, type: 'alert.something-else' }).success).toBe(false);
    expect(AlertMessage.parse(loadSample('webhooks/alert.clock-warning.json')).data).toMatchObject({
      untilAcknowledged: false,
      power: 's136',
    });
  });
});
