/**
 * The local stand-in for the functions' IAM policies. In AWS each function's role allows only
 * the DynamoDB calls its declaration in functions/access.ts names; locally the HTTP adapter,
 * the scheduler and the stream poller run each handler inside its declaration (runWithAccess),
 * and the document client refuses any call outside it, as IAM would (AccessDeniedException).
 * So a handler that starts to read or write something it does not declare fails the local
 * and integration tests, instead of failing with AccessDenied on its first deploy.
 *
 * Outside such a scope (Lambda, where IAM decides; scripts; tests calling a handler directly)
 * nothing is checked. Pure: the declarations arrive as permissions (functions/access.ts
 * `permissionsOf`), so this module imports nothing of the Hub.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One allowed call: `GetItem` on `hub`'s table, `Query` on `hub`'s `index/board`, limited to partitions or not. */
export interface Permission {
  readonly table: string;
  /** `table`, or `index/<name>`. */
  readonly target: string;
  /** DynamoDB action without the `dynamodb:` prefix. */
  readonly action: string;
  /** `dynamodb:LeadingKeys` patterns (StringLike: `*` any run of characters). */
  readonly partitions?: readonly string[];
}

export interface AccessScope {
  /** `route getHealth`, `schedule heartbeat` ...: named in the refusal. */
  readonly name: string;
  readonly permissions: readonly Permission[];
}

export class AccessDenied extends Error {
  override name = 'AccessDeniedException';
}

const scopes = new AsyncLocalStorage<AccessScope>();

/** Runs `fn` (a handler invocation) under `scope`; without one, unchecked. */
export const runWithAccess = <T>(scope: AccessScope | undefined, fn: () => T): T =>
  scope ? scopes.run(scope, fn) : fn();

interface Requested {
  readonly table: string | undefined;
  readonly target: string;
  readonly action: string;
  /** The partition key value, when the call names one. */
  readonly partition: string | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: any command's input; the guard reads only key names and table names
type Input = Record<string, any>;

/** A key attribute as the document client sends it (plain) or as the low-level client does (`{ S: ... }`). */
const plain = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string'
      ? (value as { S: string }).S
      : undefined;

/** The partition key value a Query's key condition binds (`#pk = :pk`). */
function queryPartition(input: Input, partitionKey: string): string | undefined {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  for (const m of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = m[1]!.startsWith('#') ? names[m[1]!] : m[1];
    if (name === partitionKey) return plain(input.ExpressionAttributeValues?.[m[2]!]);
  }
  return undefined;
}

/** The calls one command makes, as IAM authorises them (a transaction or batch item by item). */
export function requestedBy(
  command: string,
  input: Input,
  tableIdOf: (name: string) => string | undefined,
  partitionKey = 'PK',
): Requested[] {
  const one = (
    action: string,
    tableName: string,
    key: Record<string, unknown> | undefined,
    index?: string,
  ): Requested => ({
    table: tableIdOf(tableName),
    target: index ? `index/${index}` : 'table',
    action,
    partition: key ? plain(key[partitionKey]) : undefined,
  });
  switch (command) {
    case 'GetItemCommand':
      return [one('GetItem', input.TableName, input.Key)];
    case 'PutItemCommand':
      return [one('PutItem', input.TableName, input.Item)];
    case 'UpdateItemCommand':
      return [one('UpdateItem', input.TableName, input.Key)];
    case 'DeleteItemCommand':
      return [one('DeleteItem', input.TableName, input.Key)];
    case 'QueryCommand':
      return [
        {
          ...one('Query', input.TableName, undefined, input.IndexName),
          partition: input.IndexName ? undefined : queryPartition(input, partitionKey),
        },
      ];
    case 'BatchGetItemCommand':
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, request]) =>
        ((request as Input).Keys ?? []).map((key: Input) => one('BatchGetItem', table, key)),
      );
    case 'BatchWriteItemCommand':
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, requests]) =>
        (requests as Input[]).map((r) => one('BatchWriteItem', table, r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
      );
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).map((item: Input) => {
        if (item.Put) return one('PutItem', item.Put.TableName, item.Put.Item);
        if (item.Update) return one('UpdateItem', item.Update.TableName, item.Update.Key);
        if (item.Delete) return one('DeleteItem', item.Delete.TableName, item.Delete.Key);
        return one('ConditionCheckItem', item.ConditionCheck?.TableName, item.ConditionCheck?.Key);
      });
    case 'TransactGetItemsCommand':
      return (input.TransactItems ?? []).map((item: Input) => one('GetItem', item.Get?.TableName, item.Get?.Key));
    default:
      // A table scan, table management, anything new: no declaration can allow it.
      return [
        {
          table: tableIdOf(input.TableName ?? ''),
          target: 'table',
          action: command.replace(/Command$/, ''),
          partition: undefined,
        },
      ];
  }
}

/** StringLike: `*` matches any run of characters, everything else itself. */
const like = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

const allows = (p: Permission, r: Requested): boolean =>
  p.table === r.table &&
  p.target === r.target &&
  p.action === r.action &&
  (p.partitions === undefined ||
    (r.partition !== undefined && p.partitions.some((pattern) => like(pattern, r.partition!))));

/** Throws AccessDenied when the current scope does not allow every call of the command. */
export function checkAccess(command: string, input: Input, tableIdOf: (name: string) => string | undefined): void {
  const scope = scopes.getStore();
  if (!scope) return;
  for (const r of requestedBy(command, input, tableIdOf)) {
    if (!scope.permissions.some((p) => allows(p, r))) {
      throw new AccessDenied(
        `${scope.name} may not ${r.action} on ${r.table ?? 'an unknown table'} ${r.target}` +
          `${r.partition ? ` (partition ${r.partition.replace(/#.*/, '#…')})` : ''}` +
          ': declare it in functions/access.ts',
      );
    }
  }
}
