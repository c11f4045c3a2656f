/**
 * The bucket that receives the S3 server access logs of the Hub's buckets (part of the data
 * construct, infra/constructs/data.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET } from './buckets.js';

/**
 * Target of the S3 server access logs of the Hub's buckets. Server access logging cannot write
 * to an SSE-KMS bucket, so this one uses SSE-S3; the logs hold object keys and requesters, not
 * object contents. S3 is allowed in by bucket policy (BUCKET_OWNER_ENFORCED, no ACLs): that is
 * CDK's behaviour under the flag set on this construct only.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        // As long as the API access logs: security investigations look back months.
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This is the server access log bucket itself: logging its own access would write a log object ' +
          'for every log object delivered, without end.',
      },
      {
        id: 'HIPAA.Security-S3BucketLoggingEnabled',
        reason:
          'This is the server access log bucket itself: logging its own access would write a log object ' +
          'for every log object delivered, without end.',
      },
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason:
          'S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS; SSE-S3 ' +
          'is the only supported option. The logs hold object keys (ids, never names) and requesters, not ' +
          'object contents.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'Single-region service by design (eu-west-2, the only UK region); access logs are operational ' +
          'records kept for a year, replicated across availability zones by S3 itself; a cross-region copy ' +
          'would add a second place to secure for no recovery need.',
      },
    ]);
  }
}
