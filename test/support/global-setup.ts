/**
 * Starts one DynamoDB Local in memory on a free port for the whole run, creates the tables
 * from the one definition, seeds the registry, and stops it afterwards.
 */
import type { TestProject } from 'vitest/node';
import { localDynamoClient, startDynamoDbLocal, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let dynamo: LocalDynamo | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  dynamo = await startDynamoDbLocal();
  const client = localDynamoClient(dynamo.endpoint);
  await ensureTables(client, tableNames());
  await seedRegistry(client, tableNames());
  client.destroy();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}
