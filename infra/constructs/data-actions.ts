/**
 * The IAM actions the Data construct grants by hand where CDK's own grant would be wider, each named
 * for the service that asks for it. Split out of data.ts.
 */
/** What `ISecret.grantRead` grants on the secret itself. */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;
/** What Lambda's event source mapping reads of a Kinesis stream (as `IStream.grantRead`, without its key grant). */
export const KINESIS_READ_ACTIONS = [
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:SubscribeToShard',
  'kinesis:DescribeStream',
  'kinesis:ListStreams',
  'kinesis:DescribeStreamConsumer',
];
/** What SQS asks of a producer on a KMS-encrypted queue (SQS developer guide, "key management"). */
export const QUEUE_SEND_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
/** What CloudWatch Logs does with the key for an encrypted log group (the documented set, spelled out). */
export const LOGS_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];
