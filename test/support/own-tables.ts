/** A test file's own tables on the run's shared DynamoDB Local, with the registry seeded. */
import { inject } from 'vitest';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { ensureTables, type TableNames } from '../../infra/local/tables.js';

export async function createSeededTables(names: TableNames): Promise<void> {
  const client = localDynamoClient(inject('dynamoEndpoint'));
  try {
    await ensureTables(client, names);
    await seedRegistry(client, names);
  } finally {
    client.destroy();
  }
}
