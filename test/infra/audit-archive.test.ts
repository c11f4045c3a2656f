/** The audit archiver (functions/audit/archive.ts) against a stubbed S3 client. */
import { logger } from '../../shared/logger.js';
import { type PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ARCHIVE_BUCKET_ENV, archiveKey, handler } from '../../functions/audit/archive.js';

const auditItem = (auditId: string, at = '2025-03-04T23:59:59.999Z') => ({
  PK: `AUDIT#${auditId}`,
  SK: 'RECORD',
  auditId,
  at,
  organisationId: 'ig-team',
  clientId: 'ig-audit-tool',
  route: 'listAudit',
  method: 'GET',
  resourceType: 'audit',
  resourceId: 'x',
  action: 'list',
  result: 200,
  correlationId: 'c-1',
});

const record = (
  item: { PK: string; SK: string } & Record<string, unknown>,
  sequence: string,
  eventName: DynamoDBRecord['eventName'] = 'INSERT',
): DynamoDBRecord => ({
  eventID: `event-${sequence}`,
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: sequence,
    Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
    ...(eventName === 'REMOVE' ? {} : { NewImage: marshall(item) as never }),
  },
});

const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

let send: ReturnType<typeof vi.fn<(command: unknown) => Promise<unknown>>>;

beforeEach(() => {
  process.env[ARCHIVE_BUCKET_ENV] = 'archive-bucket';
  send = vi.fn<(command: unknown) => Promise<unknown>>().mockResolvedValue({});
  vi.spyOn(S3Client.prototype, 'send').mockImplementation(send as never);
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env[ARCHIVE_BUCKET_ENV];
});

const puts = () => send.mock.calls.map(([command]) => (command as PutObjectCommand).input);

describe('archiveKey', () => {
  it('dates the key by the record time in UTC', () => {
    expect(archiveKey(auditItem('01JABC', '2025-03-05T00:30:00+01:00'))).toBe('audit/2025/03/04/01JABC.json');
  });

  it('refuses ids that would escape the key layout', () => {
    expect(() => archiveKey(auditItem('../x'))).toThrow(/auditId/);
    expect(() => archiveKey(auditItem('01JABC', 'yesterday'))).toThrow(/valid at/);
  });
});

describe('handler', () => {
  it('puts each INSERT write-once, with a checksum, as JSON', async () => {
    const item = auditItem('01JAAA');
    const result = await handler(event(record(item, '1')));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(puts()).toEqual([
      expect.objectContaining({
        Bucket: 'archive-bucket',
        Key: 'audit/2025/03/04/01JAAA.json',
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
        IfNoneMatch: '*',
      }),
    ]);
    expect(JSON.parse(puts()[0]!.Body as string)).toEqual(item);
  });

  it('reports only the records that failed', async () => {
    send.mockImplementation(async (command: unknown) => {
      if ((command as PutObjectCommand).input.Key?.includes('01JBAD')) throw new Error('S3 unavailable');
      return {};
    });
    const result = await handler(
      event(record(auditItem('01JOK1'), '1'), record(auditItem('01JBAD'), '2'), record(auditItem('01JOK2'), '3')),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(puts()).toHaveLength(3);
  });

  it('treats an object that already exists as archived', async () => {
    send.mockRejectedValue(
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
    );
    expect(await handler(event(record(auditItem('01JDUP'), '1')))).toEqual({ batchItemFailures: [] });
  });

  it('fails a record it cannot name', async () => {
    const { auditId: _omitted, ...nameless } = auditItem('01JX');
    const result = await handler(event(record(nameless, '7')));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(send).not.toHaveBeenCalled();
  });

  it('archives nothing for a change or removal of an append-only record', async () => {
    const result = await handler(
      event(record(auditItem('01JMOD'), '1', 'MODIFY'), record(auditItem('01JREM'), '2', 'REMOVE')),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(send).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
