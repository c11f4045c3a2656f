/**
 * The synthesised HubStack and the permission arithmetic the least-privilege tests share; its hooks run in
 * every file that imports it.
 */
import type { Stack, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll } from 'vitest';
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
import type { Data } from '../../infra/constructs/data.js';
import type { HubFunction } from '../../infra/constructs/hub-function.js';
import type { HubStack } from '../../infra/hub-stack.js';
import { TABLE_IDS, type TableId } from '../../shared/data/tables.js';
import { WEBHOOK_SECRET_PURPOSE } from '../../shared/data/subscription-repository.js';
import { createStubRoot, synthHubStack, type StubRoot } from './synth.js';
import { statementsOfRole as roleStatements } from './synth.js';

export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

export const routes = ROUTES as readonly RouteDef[];
export const DOC_ROUTES = routes.filter((r) => r.tags.includes('documentation'));
export const STREAM_ACTIONS = new Set([
  'dynamodb:ListStreams',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
]);
export const actionsOf = (s: Statement) => [s.Action].flat();

export let root: StubRoot;
export let stack: HubStack;
export let template: Template;

beforeAll(() => {
  root = createStubRoot('hub-least-privilege-');
  stack = synthHubStack(root, 'HubLeastPrivilege').stack;
  template = Template.fromStack(stack);
});

afterAll(() => root?.dispose());

// ---------------------------------------------------------------------------------------------
// Reading a role's statements.

export interface Ids {
  readonly tables: Record<TableId, string>;
  readonly key: string;
}

export const logicalId = (s: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  s.getLogicalId(construct.node.defaultChild as CfnElement);
export const idsOf = (s: Stack, data: Data): Ids => ({
  tables: Object.fromEntries(TABLE_IDS.map((t) => [t, logicalId(s, data.tables[t])])) as Record<TableId, string>,
  key: logicalId(s, data.key),
});

export const statementsOfRole = (t: Template, s: Stack, fn: HubFunction): Statement[] =>
  roleStatements<Statement>(t, logicalId(s, fn.role));

/** `table` or `index/<name>` of one table, from a resource as CloudFormation writes it. */
export const targetOf = (resource: unknown, ids: Ids): { table: TableId; target: string } | undefined => {
  const json = JSON.stringify(resource);
  const table = TABLE_IDS.find((t) => json.includes(`"${ids.tables[t]}"`));
  if (!table) return undefined;
  const index = /"\/index\/([^"]+)"/.exec(json)?.[1];
  if (/StreamArn/.test(json)) return { table, target: 'stream' };
  return { table, target: index ? `index/${index}` : 'table' };
};

export const leadingKeysOf = (s: Statement): string[] | undefined => {
  const keys = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  return keys === undefined ? undefined : [keys].flat().map(String).sort();
};

/** One granted (or allowed) permission: `hub table dynamodb:GetItem [partitions]`. */
export interface Permission {
  readonly table: TableId;
  readonly target: string;
  readonly action: string;
  readonly partitions?: readonly string[];
}
export const show = (p: Permission) =>
  `${p.table} ${p.target} ${p.action}${p.partitions ? ` [${p.partitions.join(',')}]` : ''}`;

/** What a declaration allows (the expectation, computed independently of infra/access-policy.ts). */
export const allowedBy = (access: DataAccess, resolvesCaller: boolean): Permission[] => {
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
export const grantedIn = (
  statements: readonly Statement[],
  ids: Ids,
): { permissions: Permission[]; problems: string[] } => {
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

export const covers = (allowed: Permission, granted: Permission) =>
  allowed.table === granted.table &&
  allowed.target === granted.target &&
  allowed.action === granted.action &&
  // A grant limited to partitions is covered by an unlimited one; an unlimited grant only by an unlimited one.
  (allowed.partitions === undefined || granted.partitions?.every((p) => allowed.partitions!.includes(p)));

export const isWrite = (action: string) =>
  (WRITE_ACTIONS as readonly string[]).map((a) => `dynamodb:${a}`).includes(action);

/**
 * Everything wrong with one role's table and key permissions, given its declaration. Empty when
 * the role has exactly what it declares, every key use is conditioned, and the audit table is
 * only appended to.
 */
export function violations(
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

export interface Subject {
  readonly name: string;
  readonly fn: () => HubFunction;
  readonly access: DataAccess;
  readonly resolvesCaller: boolean;
  readonly readOnly: boolean;
}

export const subjects = (): Subject[] => [
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
