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
import { App, Aws, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLER_REGISTRY,
  CONSUMER_ACCESS,
  ROUTE_ACCESS,
  SCHEDULE_ACCESS,
  WRITE_ACTIONS,
  type DataAccess,
  type TableUse,
} from '../../functions/access.js';
import { CONSUMERS } from '../../functions/consumers.js';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { accessStatements } from '../../infra/access-policy.js';
import { Data } from '../../infra/constructs/data.js';
import { HubFunction } from '../../infra/constructs/hub-function.js';
import type { HubStack } from '../../infra/hub-stack.js';
import { TABLE_IDS, type TableId } from '../../shared/data/tables.js';
import { WEBHOOK_SECRET_PURPOSE } from '../../shared/data/subscription-repository.js';
import { allRoleStatements, createStubRoot, synthHubStack, type StubRoot } from './synth.js';
import { statementsOfRole as roleStatements } from './synth.js';

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const routes = ROUTES as readonly RouteDef[];
const DOC_ROUTES = routes.filter((r) => r.tags.includes('documentation'));
const STREAM_ACTIONS = new Set([
  'dynamodb:ListStreams',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
]);
const actionsOf = (s: Statement) => [s.Action].flat();

let root: StubRoot;
let stack: HubStack;
let template: Template;

beforeAll(() => {
  root = createStubRoot('hub-least-privilege-');
  stack = synthHubStack(root, 'HubLeastPrivilege').stack;
  template = Template.fromStack(stack);
});

afterAll(() => root?.dispose());

// ---------------------------------------------------------------------------------------------
// Reading a role's statements.

interface Ids {
  readonly tables: Record<TableId, string>;
  readonly key: string;
}

const logicalId = (s: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  s.getLogicalId(construct.node.defaultChild as CfnElement);
const idsOf = (s: Stack, data: Data): Ids => ({
  tables: Object.fromEntries(TABLE_IDS.map((t) => [t, logicalId(s, data.tables[t])])) as Record<TableId, string>,
  key: logicalId(s, data.key),
});

const statementsOfRole = (t: Template, s: Stack, fn: HubFunction): Statement[] =>
  roleStatements<Statement>(t, logicalId(s, fn.role));

/** `table` or `index/<name>` of one table, from a resource as CloudFormation writes it. */
const targetOf = (resource: unknown, ids: Ids): { table: TableId; target: string } | undefined => {
  const json = JSON.stringify(resource);
  const table = TABLE_IDS.find((t) => json.includes(`"${ids.tables[t]}"`));
  if (!table) return undefined;
  const index = /"\/index\/([^"]+)"/.exec(json)?.[1];
  if (/StreamArn/.test(json)) return { table, target: 'stream' };
  return { table, target: index ? `index/${index}` : 'table' };
};

const leadingKeysOf = (s: Statement): string[] | undefined => {
  const keys = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  return keys === undefined ? undefined : [keys].flat().map(String).sort();
};

/** One granted (or allowed) permission: `hub table dynamodb:GetItem [partitions]`. */
interface Permission {
  readonly table: TableId;
  readonly target: string;
  readonly action: string;
  readonly partitions?: readonly string[];
}
const show = (p: Permission) =>
  `${p.table} ${p.target} ${p.action}${p.partitions ? ` [${p.partitions.join(',')}]` : ''}`;

/** What a declaration allows (the expectation, computed independently of infra/access-policy.ts). */
const allowedBy = (access: DataAccess, resolvesCaller: boolean): Permission[] => {
  const uses: { table: TableId; use: TableUse<string> }[] = TABLE_IDS.flatMap((table) =>
    access[table] ? [{ table, use: access[table] as TableUse<string> }] : [],
  );
  if (resolvesCaller) uses.push({ table: 'hub', use: CALLER_REGISTRY });
  return uses.flatMap(({ table, use }) => {
    const partitions = use.partitions ? [...use.partitions].sort() : undefined;
    const withPartitions = partitions ? { partitions } : {};
    return [
      ...[...(use.read ?? []), ...(use.write ?? [])].map((a) => ({
        table,
        target: 'table',
        action: `dynamodb:${a}`,
        ...withPartitions,
      })),
      ...(use.indexes ?? []).map((i) => ({ table, target: `index/${i}`, action: 'dynamodb:Query', ...withPartitions })),
    ];
  });
};

/** What a role is granted on tables and indexes (stream reads apart). */
const grantedIn = (statements: readonly Statement[], ids: Ids): { permissions: Permission[]; problems: string[] } => {
  const permissions: Permission[] = [];
  const problems: string[] = [];
  for (const s of statements) {
    const actions = actionsOf(s).filter((a) => a.startsWith('dynamodb:') && !STREAM_ACTIONS.has(a));
    if (!actions.length) continue;
    for (const resource of [s.Resource].flat()) {
      const target = targetOf(resource, ids);
      if (!target || target.target === 'stream') {
        problems.push(`${actions.join(',')} on ${JSON.stringify(resource)}: not one named table or index`);
        continue;
      }
      const partitions = leadingKeysOf(s);
      for (const action of actions) permissions.push({ ...target, action, ...(partitions ? { partitions } : {}) });
    }
  }
  return { permissions, problems };
};

const covers = (allowed: Permission, granted: Permission) =>
  allowed.table === granted.table &&
  allowed.target === granted.target &&
  allowed.action === granted.action &&
  // A grant limited to partitions is covered by an unlimited one; an unlimited grant only by an unlimited one.
  (allowed.partitions === undefined || granted.partitions?.every((p) => allowed.partitions!.includes(p)));

const isWrite = (action: string) => (WRITE_ACTIONS as readonly string[]).map((a) => `dynamodb:${a}`).includes(action);

/**
 * Everything wrong with one role's table and key permissions, given its declaration. Empty when
 * the role has exactly what it declares, every key use is conditioned, and the audit table is
 * only appended to.
 */
function violations(
  statements: readonly Statement[],
  ids: Ids,
  expected: { access: DataAccess; resolvesCaller: boolean; readOnly?: boolean },
): string[] {
  const out: string[] = [];
  const allowed = allowedBy(expected.access, expected.resolvesCaller);
  const { permissions, problems } = grantedIn(statements, ids);
  out.push(...problems);
  for (const p of permissions) {
    if (!allowed.some((a) => covers(a, p)))
      out.push(`${isWrite(p.action) ? 'undeclared write' : 'undeclared'}: ${show(p)}`);
    if (p.table === 'audit' && isWrite(p.action) && p.action !== 'dynamodb:PutItem')
      out.push(`audit is append-only: ${show(p)}`);
    if (expected.readOnly && isWrite(p.action) && p.table !== 'audit') out.push(`read-only route writes: ${show(p)}`);
  }
  for (const a of allowed)
    if (!permissions.some((p) => covers(a, p) && covers(p, a))) out.push(`declared but not granted: ${show(a)}`);

  for (const s of statements.filter((st) => actionsOf(st).some((a) => a.startsWith('kms:')))) {
    const via = s.Condition?.StringEquals?.['kms:ViaService'];
    const purpose = s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'];
    if (JSON.stringify(s.Resource) !== JSON.stringify({ 'Fn::GetAtt': [ids.key, 'Arn'] }))
      out.push(`kms on ${JSON.stringify(s.Resource)}: not the data key alone`);
    if (via === undefined && purpose === undefined) out.push(`unconditioned kms: ${actionsOf(s).join(',')}`);
    if (purpose !== undefined) {
      if (purpose !== WEBHOOK_SECRET_PURPOSE) out.push(`kms for purpose ${String(purpose)}`);
      const wanted =
        expected.access.webhookSecrets === 'seal'
          ? ['kms:Encrypt']
          : expected.access.webhookSecrets === 'open'
            ? ['kms:Decrypt']
            : [];
      if (JSON.stringify(actionsOf(s)) !== JSON.stringify(wanted))
        out.push(
          `webhook secrets: ${actionsOf(s).join(',')} where ${expected.access.webhookSecrets ?? 'nothing'} is declared`,
        );
    }
  }
  if (
    expected.access.webhookSecrets &&
    !statements.some((s) => s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'] === WEBHOOK_SECRET_PURPOSE)
  ) {
    out.push(`webhook secrets: ${expected.access.webhookSecrets} declared but not granted`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The Hub's functions.

interface Subject {
  readonly name: string;
  readonly fn: () => HubFunction;
  readonly access: DataAccess;
  readonly resolvesCaller: boolean;
  readonly readOnly: boolean;
}

const subjects = (): Subject[] => [
  ...routes.map((route) => ({
    name: `route ${route.id}`,
    fn: () => stack.api.functions.get(route.id)!,
    access: ROUTE_ACCESS[route.id as keyof typeof ROUTE_ACCESS],
    resolvesCaller: route.auth !== 'public',
    readOnly: route.method === 'GET',
  })),
  ...SCHEDULES.map((def) => ({
    name: `schedule ${def.id}`,
    fn: () => (def.builtBy === 'feedback' ? stack.feedback.delivery : stack.schedules.functions.get(def.id)!),
    access: SCHEDULE_ACCESS[def.id],
    resolvesCaller: false,
    readOnly: false,
  })),
  ...CONSUMERS.map((def) => ({
    name: `consumer ${def.id}`,
    fn: () =>
      ({
        feedback: () => stack.feedback.consumer,
        analytics: () => stack.analytics.functions.get(def.id)!,
        auditArchive: () => stack.auditArchive.function,
      })[def.builtBy](),
    access: CONSUMER_ACCESS[def.id],
    resolvesCaller: false,
    readOnly: false,
  })),
];

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
