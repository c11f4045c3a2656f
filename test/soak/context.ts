/**
 * What the soak's parts hand each other: the modules it imports once the environment is set,
 * the running stack with its clients and tokens (setup.ts), the traffic's totals (traffic.ts)
 * and the reconciliation's checks (reconcile.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { LocalStack } from '../../infra/local/stack.js';

/** Imported after the environment is set (handlers read their configuration from it). */
export interface SoakModules {
  readonly startLocalStack: typeof import('../../infra/local/stack.js').startLocalStack;
  readonly localDynamoClient: typeof import('../../infra/local/dynamodb.js').localDynamoClient;
  readonly ROUTES: typeof import('../../functions/routes.js').ROUTES;
  readonly CONSUMERS: typeof import('../../functions/consumers.js').CONSUMERS;
  readonly TABLE_ENV: typeof import('../../shared/data/tables.js').TABLE_ENV;
  readonly PK: typeof import('../../shared/data/tables.js').PK;
  readonly SK: typeof import('../../shared/data/tables.js').SK;
  readonly RECORDED_EVENT_TYPE: typeof import('../../shared/schemas/referral-events.js').RECORDED_EVENT_TYPE;
  readonly factKeyOf: typeof import('../../shared/deidentify/pseudonymise.js').factKeyOf;
  readonly j1Body: typeof import('../support/referrals.js').j1Body;
}

export const importModules = async (): Promise<SoakModules> => {
  const { startLocalStack } = await import('../../infra/local/stack.js');
  const { localDynamoClient } = await import('../../infra/local/dynamodb.js');
  const { ROUTES } = await import('../../functions/routes.js');
  const { CONSUMERS } = await import('../../functions/consumers.js');
  const { TABLE_ENV, PK, SK } = await import('../../shared/data/tables.js');
  const { RECORDED_EVENT_TYPE } = await import('../../shared/schemas/referral-events.js');
  const { factKeyOf } = await import('../../shared/deidentify/pseudonymise.js');
  const { j1Body } = await import('../support/referrals.js');
  return {
    startLocalStack,
    localDynamoClient,
    ROUTES,
    CONSUMERS,
    TABLE_ENV,
    PK,
    SK,
    RECORDED_EVENT_TYPE,
    factKeyOf,
    j1Body,
  };
};

export interface Sub {
  id: string;
  org: string;
  createdAt: string;
  events: string[];
  expect: 'delivered' | 'parked';
}

export interface Referrer {
  readonly client: string;
  readonly org: string;
  readonly lssas: readonly string[];
}

export interface SoakContext {
  readonly mods: SoakModules;
  readonly stack: LocalStack;
  readonly stackLog: string[];
  readonly tables: { readonly hub: string; readonly analytics: string };
  readonly rawClient: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly scan: (table: string) => Promise<Record<string, any>[]>;
  readonly referrers: readonly Referrer[];
  readonly tokens: {
    readonly referrers: Map<string, string>;
    readonly lead: string;
    readonly reviewer: string;
    readonly amhp: string;
    readonly leadSystem: string;
    readonly beds: string;
  };
  readonly subs: Sub[];
  /** Webhook ids the 2xx receiver got, with how often. */
  readonly received: Map<string, number>;
  readonly feedbackSkipped: string | undefined;
  readonly deliverDue: ((now: Date) => Promise<unknown>) | undefined;
  readonly servers: Server[];
}
