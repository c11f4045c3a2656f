/**
 * The soak's start: the local stack in memory, a client per partner with its token, and (when
 * the feature is there) a feedback subscription for police A (a 204 receiver) and the ambulance
 * service (a 503 receiver, whose deliveries must end parked).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../../infra/local/stack.js';
import { scanAll } from '../support/scan-all.js';
import { call, progress, setBaseUrl } from './common.js';
import type { Referrer, SoakContext, SoakModules, Sub } from './context.js';

export async function startSoak(
  mods: SoakModules,
  servers: Server[],
  onStarted: (stack: LocalStack) => void,
): Promise<SoakContext> {
  const { startLocalStack, localDynamoClient, ROUTES, CONSUMERS, TABLE_ENV } = mods;
  const stackLog: string[] = [];
  const stack = await startLocalStack({
    port: 0,
    dataDir: null,
    scheduleIntervalMs: 60_000,
    log: (line) => stackLog.push(line),
  });
  onStarted(stack);
  setBaseUrl(stack.url);
  const tables = { hub: process.env[TABLE_ENV.hub]!, analytics: process.env[TABLE_ENV.analytics]! };
  const rawClient = localDynamoClient(stack.dynamoEndpoint);
  const doc = DynamoDBDocumentClient.from(rawClient);
  const scan = (table: string): Promise<Record<string, any>[]> =>
    scanAll(doc, { TableName: table, ConsistentRead: true });

  const id = stack.identity;
  const referrers: Referrer[] = [
    { client: 'police-a-triage', org: 'police-a', lssas: ['E06000055', 'E06000056'] },
    { client: 'police-b-hub', org: 'police-b', lssas: ['E06000056'] },
    { client: 'ambulance-cad', org: 'ambulance', lssas: ['E06000055', 'E06000056'] },
    { client: 'ae-liaison-system', org: 'ae-liaison', lssas: ['E06000055'] },
    { client: 'cmht-system', org: 'cmht', lssas: ['E06000055'] },
  ];
  const tokens = {
    referrers: new Map(
      await Promise.all(referrers.map(async (r) => [r.client, await id.issueClientToken(r.client)] as const)),
    ),
    lead: await id.issuePersonToken('dana.lead'),
    reviewer: await id.issuePersonToken('alex.amhp'),
    amhp: await id.issuePersonToken('sam.amhp'),
    leadSystem: await id.issueClientToken('amhp-case-system'),
    beds: await id.issueClientToken('provider-p-beds'),
  };

  // --- Feedback, when the feature is there and usable.
  const subs: Sub[] = [];
  const received = new Map<string, number>();
  let feedbackSkipped: string | undefined;
  let deliverDue: ((now: Date) => Promise<unknown>) | undefined;
  const feedbackFile = join(process.cwd(), 'functions/feedback/deliver.ts');
  if (!existsSync(join(process.cwd(), 'functions/feedback/create-subscription.ts')) || !existsSync(feedbackFile))
    feedbackSkipped = 'functions/feedback is absent';
  else if (!(ROUTES as readonly { id: string }[]).some((r) => r.id === 'createSubscription'))
    feedbackSkipped = 'no createSubscription route';
  else if (!CONSUMERS.some((c) => c.id === 'operational'))
    feedbackSkipped = 'the operational consumer is not registered';
  else {
    try {
      const mod = (await import(pathToFileURL(feedbackFile).href)) as { deliverDue?: (now: Date) => Promise<unknown> };
      if (typeof mod.deliverDue !== 'function') throw new Error('deliver.ts exports no deliverDue');
      deliverDue = mod.deliverDue;
      const receiver = async (status: number) => {
        const server = createServer((req, res) => {
          req.resume();
          req.on('end', () => {
            const hookId = String(req.headers['webhook-id'] ?? '');
            if (status < 300) received.set(hookId, (received.get(hookId) ?? 0) + 1);
            res.writeHead(status).end();
          });
        });
        servers.push(server);
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub-webhooks`;
      };
      const { FEEDBACK_EVENT_TYPES } = (await import(
        pathToFileURL(join(process.cwd(), 'shared/domain/feedback.ts')).href
      )) as { FEEDBACK_EVENT_TYPES: readonly string[] };
      for (const [client, org, status, expectation] of [
        ['police-a-triage', 'police-a', 204, 'delivered'],
        ['ambulance-cad', 'ambulance', 503, 'parked'],
      ] as const) {
        const url = await receiver(status);
        const res = await call('POST /v1/subscriptions', 'POST', '/v1/subscriptions', tokens.referrers.get(client)!, {
          json: { url, events: [...FEEDBACK_EVENT_TYPES] },
          headers: { 'Idempotency-Key': randomUUID() },
        });
        if (res.status !== 201)
          throw new Error(
            `POST /v1/subscriptions answered ${res.status}${res.body?.detail ? `: ${res.body.detail}` : ''}`,
          );
        subs.push({
          id: res.body.id,
          org,
          createdAt: res.body.createdAt,
          events: res.body.events,
          expect: expectation,
        });
      }
    } catch (error) {
      feedbackSkipped = `feedback unusable: ${(error as Error).message}`;
      subs.length = 0;
      deliverDue = undefined;
    }
  }
  progress(
    feedbackSkipped
      ? `feedback check skipped (${feedbackSkipped})`
      : `feedback: ${subs.length} subscriptions (a 204 receiver, a 503 receiver)`,
  );
  return {
    mods,
    stack,
    stackLog,
    tables,
    rawClient,
    doc,
    scan,
    referrers,
    tokens,
    subs,
    received,
    feedbackSkipped,
    deliverDue,
    servers,
  };
}
