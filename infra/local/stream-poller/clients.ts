import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../dynamodb.js';
import type { Sender, StreamPollerOptions } from './types.js';

/** The SDK clients, which exist only between start and stop; those the poller made, it destroys. */
export class Clients {
  streams: Sender | undefined;
  dynamo: Sender | undefined;
  private owned: { destroy(): void }[] = [];

  open(options: StreamPollerOptions, region: string): void {
    if (this.streams) return;
    const config = { endpoint: options.endpoint!, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 };
    const s = options.streamsClient ?? new DynamoDBStreamsClient(config);
    const d = options.dynamoClient ?? new DynamoDBClient(config);
    this.owned = [...(options.streamsClient ? [] : [s]), ...(options.dynamoClient ? [] : [d])];
    this.streams = s as unknown as Sender;
    this.dynamo = d as unknown as Sender;
  }

  close(): void {
    for (const client of this.owned) client.destroy();
    this.owned = [];
    this.streams = undefined;
    this.dynamo = undefined;
  }
}
