/**
 * The local stand-in for IAM (shared/data/access-guard.ts): inside a handler's declared access,
 * each DynamoDB call is allowed or refused as the function's role would allow or refuse it.
 */
import { describe, expect, it } from 'vitest';
import { accessScopeOf, permissionsOf } from '../../functions/access.js';
import { AccessDenied, checkAccess, requestedBy, runWithAccess } from '../../shared/data/access-guard.js';

const tableIdOf = (name: string) => ({ 'test-hub': 'hub', 'test-audit': 'audit', 'test-analytics': 'analytics' })[name];
const check = (command: string, input: Record<string, unknown>) => () => checkAccess(command, input, tableIdOf);

describe('requestedBy: the calls a command makes, as IAM authorises them', () => {
  it('a transaction is authorised item by item, with each item partition', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 'test-hub', Item: { PK: 'REFERRAL#1', SK: 'STATE' } } },
        { Update: { TableName: 'test-hub', Key: { PK: 'BEDUNIT#u', SK: 'STATE' } } },
        { ConditionCheck: { TableName: 'test-hub', Key: { PK: { S: 'ORG#o' }, SK: { S: 'X' } } } },
        { Put: { TableName: 'test-audit', Item: { PK: 'AUDIT#1', SK: 'RECORD' } } },
      ],
    };
    expect(requestedBy('TransactWriteItemsCommand', input, tableIdOf)).toEqual([
      { table: 'hub', target: 'table', action: 'PutItem', partition: 'REFERRAL#1' },
      { table: 'hub', target: 'table', action: 'UpdateItem', partition: 'BEDUNIT#u' },
      { table: 'hub', target: 'table', action: 'ConditionCheckItem', partition: 'ORG#o' },
      { table: 'audit', target: 'table', action: 'PutItem', partition: 'AUDIT#1' },
    ]);
  });

  it('a Query names its index, or on the table the partition its key condition binds', () => {
    expect(
      requestedBy(
        'QueryCommand',
        { TableName: 'test-hub', IndexName: 'board', KeyConditionExpression: '#k = :k' },
        tableIdOf,
      ),
    ).toEqual([{ table: 'hub', target: 'index/board', action: 'Query', partition: undefined }]);
    const onTable = {
      TableName: 'test-hub',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'PK' },
      ExpressionAttributeValues: { ':pk': 'SYSTEM' },
    };
    expect(requestedBy('QueryCommand', onTable, tableIdOf)).toEqual([
      { table: 'hub', target: 'table', action: 'Query', partition: 'SYSTEM' },
    ]);
  });
});

describe('checkAccess inside a declared scope', () => {
  const health = accessScopeOf('route', 'getHealth', { resolvesCaller: false })!;
  const getReferral = accessScopeOf('route', 'getReferral', { resolvesCaller: true })!;
  const systemQuery = {
    TableName: 'test-hub',
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'PK' },
    ExpressionAttributeValues: { ':pk': 'SYSTEM' },
  };

  it('control: outside any scope nothing is checked (Lambda, where IAM decides)', () => {
    expect(check('ScanCommand', { TableName: 'test-hub' })).not.toThrow();
  });

  it('/health may Query the SYSTEM partition and nothing else', () => {
    runWithAccess(health, () => {
      expect(check('QueryCommand', systemQuery)).not.toThrow();
      expect(check('QueryCommand', { ...systemQuery, ExpressionAttributeValues: { ':pk': 'REFERRAL#01J' } })).toThrow(
        AccessDenied,
      );
      expect(check('GetItemCommand', { TableName: 'test-hub', Key: { PK: 'SYSTEM', SK: 'HEARTBEAT' } })).toThrow(
        /route getHealth may not GetItem on hub table/,
      );
      expect(check('ScanCommand', { TableName: 'test-hub' })).toThrow(AccessDenied);
    });
  });

  it('a read route reads its items and the registry, appends its audit record, and may write nothing else', () => {
    runWithAccess(getReferral, () => {
      expect(check('GetItemCommand', { TableName: 'test-hub', Key: { PK: 'REFERRAL#1', SK: 'STATE' } })).not.toThrow();
      expect(
        check('BatchGetItemCommand', {
          RequestItems: {
            'test-hub': {
              Keys: [
                { PK: 'CLIENT#c', SK: 'REGISTRY' },
                { PK: 'CONFIG', SK: 'REGISTRY' },
              ],
            },
          },
        }),
      ).not.toThrow();
      expect(
        check('TransactWriteItemsCommand', {
          TransactItems: [{ Put: { TableName: 'test-audit', Item: { PK: 'AUDIT#1', SK: 'RECORD' } } }],
        }),
      ).not.toThrow();
      // Caller resolution reads registry partitions only; a batch read of a referral is refused.
      expect(
        check('BatchGetItemCommand', { RequestItems: { 'test-hub': { Keys: [{ PK: 'REFERRAL#1', SK: 'STATE' }] } } }),
      ).toThrow(AccessDenied);
      expect(check('PutItemCommand', { TableName: 'test-hub', Item: { PK: 'REFERRAL#1', SK: 'STATE' } })).toThrow(
        AccessDenied,
      );
      expect(
        check('TransactWriteItemsCommand', {
          TransactItems: [{ Update: { TableName: 'test-audit', Key: { PK: 'AUDIT#1', SK: 'RECORD' } } }],
        }),
      ).toThrow(AccessDenied);
      expect(
        check('QueryCommand', { TableName: 'test-audit', IndexName: 'byDay', KeyConditionExpression: '#k = :k' }),
      ).toThrow(AccessDenied);
    });
  });

  it('the scope follows the handler through its awaits, and ends with it', async () => {
    await runWithAccess(health, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(check('PutItemCommand', { TableName: 'test-hub', Item: { PK: 'SYSTEM', SK: 'X' } })).toThrow(AccessDenied);
    });
    expect(check('PutItemCommand', { TableName: 'test-hub', Item: { PK: 'SYSTEM', SK: 'X' } })).not.toThrow();
  });

  it('a handler the lists do not know (a test fixture) runs unchecked; every declared id gets a scope', () => {
    expect(accessScopeOf('route', 'testBoom')).toBeUndefined();
    expect(accessScopeOf('route', 'constructor')).toBeUndefined();
    expect(accessScopeOf('schedule', 'heartbeat')?.permissions).toEqual(
      permissionsOf({ hub: { write: ['PutItem'], partitions: ['SYSTEM'] } }, false),
    );
    // The analytics consumer writes only `analytics`; of `hub` it reads organisation records (a
    // service's calendar, DOMAIN §7) item by item, never a referral.
    expect(
      accessScopeOf('consumer', 'analytics')?.permissions.every(
        (p) =>
          p.table === 'analytics' ||
          (p.table === 'hub' && p.action === 'GetItem' && JSON.stringify(p.partitions) === '["ORG#*"]'),
      ),
    ).toBe(true);
  });
});
