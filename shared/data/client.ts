/**
 * One DynamoDB document client per container, created at module scope on first use (Lambda
 * reuses it across invocations). Locally it points at DynamoDB Local, and refuses calls outside
 * the running handler's declared access (see access-guard.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { checkAccess } from './access-guard.js';

let documentClient: DynamoDBDocumentClient | undefined;

export const ddb = (): DynamoDBDocumentClient => {
  if (!documentClient) {
    const { dynamoEndpoint, region } = config();
    const base = new DynamoDBClient({
      region,
      ...(dynamoEndpoint
        ? { endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    // Locally, each handler's declared data access is enforced as IAM enforces it in AWS.
    if (dynamoEndpoint) {
      const tables = Object.entries(config().tables);
      const tableIdOf = (name: string) => tables.find(([, n]) => n === name)?.[0];
      base.middlewareStack.add(
        (next, context) => (args) => {
          checkAccess(String(context.commandName), args.input as Record<string, unknown>, tableIdOf);
          return next(args);
        },
        { step: 'initialize', name: 'declaredAccessGuard' },
      );
    }
    documentClient = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return documentClient;
};

export const tableName = (id: 'hub' | 'analytics' | 'audit' | 'safety'): string => config().tables[id];
