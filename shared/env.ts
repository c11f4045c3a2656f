/**
 * Every environment variable the handlers read, named once (#18 "one home per fact"): the CDK
 * constructs set them by these names, the handlers and the local stack read them by these
 * names. Table names (`TABLE_ENV`) and key secrets (`SECRET_ENV` in config.ts) are built from
 * their own registries and listed here too, so a search for a variable lands in one file.
 */
export const ENV = {
  /** DynamoDB Local's endpoint; unset in AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** The KMS key that seals webhook signing secrets (AWS), or the local key and its file. */
  feedbackKmsKeyArn: 'FEEDBACK_KMS_KEY_ARN',
  feedbackSecretKey: 'FEEDBACK_SECRET_KEY',
  feedbackSecretKeyFile: 'FEEDBACK_SECRET_KEY_FILE',
  /** Where fact versions are exported: an S3 bucket in AWS, a folder locally. */
  exportBucket: 'EXPORT_BUCKET',
  exportDir: 'EXPORT_DIR',
  /** The audit table's write-once copy (S3 Object Lock). */
  auditArchiveBucket: 'AUDIT_ARCHIVE_BUCKET',
  /** The local stack's data folder (keys generated beside it). */
  localDataDir: 'LOCAL_DATA_DIR',
  /** The OpenAPI document's version and base path. */
  apiVersion: 'API_VERSION',
  apiBasePath: 'API_BASE_PATH',
  /** The usage plans' scales (JSON `{ people, clients: { <clientId>: n } }`) for RateLimit-Policy; unset locally. */
  rateLimitScales: 'RATE_LIMIT_SCALES',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];
