/**
 * The `audit` table's stream consumer in AWS: copies every new audit record to the Object Lock
 * bucket as `audit/YYYY/MM/DD/<auditId>.json`, the write-once copy an auditor can trust even
 * if the table were tampered with.
 */
import { logger } from '../../shared/logger.js';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBBatchItemFailure, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ENV } from '../../shared/env.js';

export const ARCHIVE_BUCKET_ENV = ENV.auditArchiveBucket;
export const ARCHIVE_PREFIX = 'audit/';

/** Created once per container: connections are reused across invocations. */
const s3 = new S3Client({});

/** ULIDs and similar ids only: the id becomes part of an object key. */
const SAFE_ID = /^[0-9A-Za-z_-]{1,128}$/;

export class ArchiveRecordError extends Error {
  override name = 'ArchiveRecordError';
}

/** The object key of one audit record, dated by the record's own `at` (UTC). */
export const archiveKey = (record: Record<string, unknown>): string => {
  const { auditId, at } = record;
  if (typeof auditId !== 'string' || !SAFE_ID.test(auditId))
    throw new ArchiveRecordError('audit record without a usable auditId');
  const time = typeof at === 'string' ? new Date(at) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new ArchiveRecordError(`audit record ${auditId} without a valid at`);
  const [date] = time.toISOString().split('T') as [string];
  return `${ARCHIVE_PREFIX}${date.replaceAll('-', '/')}/${auditId}.json`;
};

async function archive(bucket: string, record: DynamoDBRecord): Promise<void> {
  if (record.eventName !== 'INSERT') {
    // The table is append-only: a change or removal is not archived (the original already
    // is), but it is worth an alarm.
    logger.warn('audit record changed or removed', { eventName: record.eventName, eventID: record.eventID });
    return;
  }
  const image = record.dynamodb?.NewImage;
  if (!image)
    throw new ArchiveRecordError(
      `INSERT ${record.eventID} without a NewImage (stream view type must include new images)`,
    );
  // aws-lambda's AttributeValue and the SDK's describe the same wire shape.
  const item = unmarshall(image as Record<string, AttributeValue>);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: archiveKey(item),
        Body: JSON.stringify(item),
        ContentType: 'application/json',
        // Object Lock buckets refuse a put without an integrity checksum.
        ChecksumAlgorithm: 'SHA256',
        // Write once: a redelivered record must not add a second version.
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    // 412: the object exists, so an earlier delivery of this record already archived it.
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) return;
    throw error;
  }
}

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const bucket = process.env[ARCHIVE_BUCKET_ENV];
  if (!bucket) throw new Error(`Missing environment: ${ARCHIVE_BUCKET_ENV}`);

  const results = await Promise.allSettled(event.Records.map((record) => archive(bucket, record)));
  const batchItemFailures: DynamoDBBatchItemFailure[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    const record = event.Records[i]!;
    const error = result.reason as Error;
    // Names and ids only: the record itself stays out of the logs.
    // The name only: an S3 or SDK message is of no use here and might quote the object.
    logger.error('audit record not archived', { eventID: record.eventID, errorName: error.name });
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    // Without a sequence number the failure cannot be pinned to a record: retry the batch.
    if (!sequenceNumber) throw error;
    batchItemFailures.push({ itemIdentifier: sequenceNumber });
  });
  return { batchItemFailures };
};
