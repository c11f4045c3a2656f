/**
 * One DynamoDB document client per container, created at module scope on first use (Lambda
 * reuses it across invocations). Locally it points at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';

let documentClient: DynamoDBDocumentClient | undefined;

export const ddb = (): DynamoDBDocumentClient => {
  if (!documentClient) {
    const { dynamoEndpoint, region } = config();
    const base = new DynamoDBClient({
      region,
      ...(dynamoEndpoint ? { endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    documentClient = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return documentClient;
};

export const tableName = (id: 'hub' | 'analytics' | 'audit'): string => config().tables[id];
