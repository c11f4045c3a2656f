/**
 * Least privilege of every Hub function, read off the synthesised template (issue #15):
 * - each role's DynamoDB actions are exactly what its declaration in functions/access.ts says
 *   (plus the registry reads of caller resolution on authenticated routes): no write action a
 *   route does not declare, only the tables and indexes it names, and nothing declared missing;
 * - read-only (GET) routes write nothing but their audit record; documentation routes touch no
 *   table and no key; /health reads the SYSTEM partition and nothing else;
 * - every KMS statement is conditioned: the data key only through a service (`kms:ViaService`:
 *   DynamoDB for tables and streams, Kinesis, S3, SQS, Secrets Manager), webhook secrets only
 *   under their encryption context `purpose`, kms:Decrypt of them only where a secret is opened
 *   and kms:Encrypt only where one is sealed;
 * - the checks themselves catch an over-granted route: a fabricated declaration that grants more
 *   than its route declares is built by the real policy builder and must be reported.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, type DataAccess } from '../../functions/access.js';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { accessStatements } from '../../infra/access-policy.js';
import { Data } from '../../infra/constructs/data.js';
import { HubFunction } from '../../infra/constructs/hub-function.js';
import { WEBHOOK_SECRET_PURPOSE } from '../../shared/data/subscription-repository.js';
import { allRoleStatements } from './synth.js';
import {
  type Statement,
  routes,
  DOC_ROUTES,
  actionsOf,
  root,
  stack,
  template,
  idsOf,
  statementsOfRole,
  show,
  grantedIn,
  isWrite,
  violations,
  subjects,
} from './least-privilege.fixture.js';

describe('every function has exactly the data access it declares', () => {
  it('covers every Hub function of the stack', () => {
    const all = stack.node.findAll().filter((c): c is HubFunction => c instanceof HubFunction);
    expect(
      subjects()
        .map((s) => s.fn())
        .sort(),
    ).toEqual(all.sort());
  });

  it.each(subjects().map((s) => [s.name, s] as const))('%s', (_name, subject) => {
    const statements = statementsOfRole(template, stack, subject.fn());
    expect(violations(statements, idsOf(stack, stack.data), subject)).toEqual([]);
  });
});

describe('route rules that do not depend on the declarations', () => {
  const granted = (route: RouteDef) =>
    grantedIn(statementsOfRole(template, stack, stack.api.functions.get(route.id)!), idsOf(stack, stack.data))
      .permissions;

  it.each(routes.filter((r) => r.method === 'GET').map((r) => [r.id, r] as const))(
    'read-only %s writes nothing but its audit record',
    (_id, route) => {
      expect(
        granted(route)
          .filter((p) => isWrite(p.action) && !(p.table === 'audit' && p.action === 'dynamodb:PutItem'))
          .map(show),
      ).toEqual([]);
    },
  );

  it.each(DOC_ROUTES.map((r) => [r.id, r] as const))(
    'documentation route %s has no table or key statement at all',
    (_id, route) => {
      const statements = statementsOfRole(template, stack, stack.api.functions.get(route.id)!);
      expect(statements.filter((s) => actionsOf(s).some((a) => /^(dynamodb|kms):/.test(a)))).toEqual([]);
    },
  );

  it('/health reads the SYSTEM partition with one Query, and nothing else of any table', () => {
    const health = routes.find((r) => r.path === '/health')!;
    expect(granted(health).map(show)).toEqual(['hub table dynamodb:Query [SYSTEM]']);
  });

  it(
    'only authenticated routes resolve callers from the registry; nobody else reads referrals without ' +
      'declaring it',
    () => {
      for (const route of routes.filter((r) => r.auth === 'public')) {
        expect(
          granted(route)
            .filter((p) => p.partitions?.join() !== 'SYSTEM')
            .map(show),
          route.id,
        ).toEqual([]);
      }
    },
  );

  it('the audit table is read only by the audit route, and written only with PutItem', () => {
    const readers = routes.filter((r) => granted(r).some((p) => p.table === 'audit' && !isWrite(p.action)));
    expect(readers.map((r) => r.id)).toEqual(['listAudit']);
    for (const route of routes)
      expect(
        granted(route)
          .filter((p) => p.table === 'audit' && isWrite(p.action))
          .map((p) => p.action),
        route.id,
      ).not.toContain('dynamodb:UpdateItem');
    expect(granted(routes.find((r) => r.id === 'getMe')!).filter((p) => p.table === 'audit')).toEqual([]);
  });

  it(
    'webhook secrets: opened only by the delivery sweeps (feedback, safety) and the stream consumer, sealed ' +
      'only where a subscription or alert channel is created',
    () => {
      const purposeActions = (fn: HubFunction) =>
        statementsOfRole(template, stack, fn)
          .filter((s) => s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'] !== undefined)
          .flatMap(actionsOf);
      const all = stack.node.findAll().filter((c): c is HubFunction => c instanceof HubFunction);
      const openers = all.filter((fn) => purposeActions(fn).includes('kms:Decrypt'));
      const sealers = all.filter((fn) => purposeActions(fn).includes('kms:Encrypt'));
      expect(openers.sort()).toEqual(
        [stack.feedback.delivery, stack.feedback.consumer, stack.schedules.functions.get('safetySweep')].sort(),
      );
      expect(sealers.sort()).toEqual(
        [stack.api.functions.get('createSubscription'), stack.api.functions.get('putAlertChannel')].sort(),
      );
    },
  );

  it(
    'every kms statement of every role in the stack is conditioned (functions, the console deployer, any ' +
      'other role)',
    () => {
      const statements = allRoleStatements<Statement>(template);
      const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      expect(kms.length).toBeGreaterThan(0);
      for (const s of kms) {
        const condition = s.Condition?.StringEquals ?? {};
        expect(
          condition['kms:ViaService'] ?? condition['kms:EncryptionContext:purpose'],
          JSON.stringify(s),
        ).toBeDefined();
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// The checks catch an over-granted route: real policy builder, fabricated declarations.

describe('a deliberately over-granted route fails the checks', () => {
  /** A one-function stack whose role is built by the real builder from `granted`. */
  const build = (granted: DataAccess, options: { resolvesCaller?: boolean } = {}) => {
    // Bundling skipped, as for the Hub stack (synth.ts): the handler is a stub.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const s = new Stack(app, 'Fabricated', { env: { region: 'eu-west-2' } });
    const data = new Data(s, 'Data');
    const fn = new HubFunction(s, 'Route-fabricated', {
      projectRoot: root.dir,
      serviceName: 'test',
      entry: ROUTES[0].handler,
    });
    fn.grantData(data, granted, options);
    return { statements: statementsOfRole(Template.fromStack(s), s, fn), ids: idsOf(s, data) };
  };
  const readRoute: DataAccess = { hub: { read: ['GetItem'] }, audit: { write: ['PutItem'] } };

  it('control: a role built from its own declaration passes', () => {
    const { statements, ids } = build(readRoute, { resolvesCaller: true });
    expect(violations(statements, ids, { access: readRoute, resolvesCaller: true, readOnly: true })).toEqual([]);
  });

  it('a write the route does not declare is reported', () => {
    const { statements, ids } = build(
      { ...readRoute, hub: { read: ['GetItem'], write: ['PutItem', 'DeleteItem'] } },
      { resolvesCaller: true },
    );
    expect(violations(statements, ids, { access: readRoute, resolvesCaller: true })).toEqual([
      'undeclared write: hub table dynamodb:PutItem',
      'undeclared write: hub table dynamodb:DeleteItem',
    ]);
  });

  it('a read-only (GET) route that declares a write is reported even when the grant matches its declaration', () => {
    const writing: DataAccess = { hub: { read: ['GetItem'], write: ['UpdateItem'] } };
    const { statements, ids } = build(writing);
    expect(violations(statements, ids, { access: writing, resolvesCaller: false, readOnly: true })).toEqual([
      'read-only route writes: hub table dynamodb:UpdateItem',
    ]);
  });

  it('another table, another index, or a partition-limited grant widened are reported', () => {
    const narrow: DataAccess = { hub: { indexes: ['capacity'], partitions: ['SYSTEM'] } };
    const { statements, ids } = build({ hub: { indexes: ['capacity', 'board'] }, analytics: { read: ['Query'] } });
    expect(violations(statements, ids, { access: narrow, resolvesCaller: false }).sort()).toEqual(
      [
        'undeclared: analytics table dynamodb:Query',
        'undeclared: hub index/capacity dynamodb:Query',
        'undeclared: hub index/board dynamodb:Query',
        'declared but not granted: hub index/capacity dynamodb:Query [SYSTEM]',
      ].sort(),
    );
  });

  it('an unconditioned key statement, or webhook secrets opened where only sealing is declared, are reported', () => {
    const { statements, ids } = build(readRoute, { resolvesCaller: true });
    const keyArn = { 'Fn::GetAtt': [ids.key, 'Arn'] };
    const extra: Statement[] = [
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': WEBHOOK_SECRET_PURPOSE } },
      },
    ];
    expect(
      violations([...statements, ...extra], ids, {
        access: { ...readRoute, webhookSecrets: 'seal' },
        resolvesCaller: true,
      }),
    ).toEqual(['unconditioned kms: kms:Decrypt', 'webhook secrets: kms:Decrypt where seal is declared']);
  });

  it('the builder refuses anything but PutItem on the audit table', () => {
    const refs = {
      tableArns: { hub: 'hub', analytics: 'analytics', audit: 'audit', safety: 'safety' },
      keyArn: 'key',
      region: Aws.REGION,
    };
    expect(() => accessStatements({ audit: { write: ['UpdateItem'] } }, refs)).toThrow(/append-only/);
    expect(() => accessStatements({ audit: { write: ['PutItem'] } }, refs)).not.toThrow();
  });
});

describe('the declarations themselves', () => {
  it(
    'GET routes declare no write but the audit append; only the audit route reads audit; doc routes declare ' +
      'nothing',
    () => {
      for (const route of routes) {
        const access: DataAccess = ROUTE_ACCESS[route.id as keyof typeof ROUTE_ACCESS];
        if (route.method === 'GET') {
          expect(access.hub?.write ?? [], route.id).toEqual([]);
          expect(access.analytics?.write ?? [], route.id).toEqual([]);
        }
        if (route.id !== 'listAudit')
          expect([...(access.audit?.read ?? []), ...(access.audit?.indexes ?? [])], route.id).toEqual([]);
      }
      for (const route of DOC_ROUTES) expect(ROUTE_ACCESS[route.id as keyof typeof ROUTE_ACCESS]).toEqual({});
    },
  );

  it('extract routes (analytics data) declare no access to `hub` beyond caller resolution', () => {
    const extracts = routes.filter((r) => r.data === 'analytics');
    expect(extracts.length).toBeGreaterThan(0);
    for (const route of extracts)
      expect(ROUTE_ACCESS[route.id as keyof typeof ROUTE_ACCESS].hub, route.id).toBeUndefined();
  });
});
