/** The AMHP service's register entries (`AMHP#<id>`), versioned for If-Match. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SK } from '../../infra/tables.js';
import { HttpProblem } from '../http/problem.js';
import type { AmhpRegisterEntryView } from '../schemas/amhps.js';
import { ddb, tableName } from './client.js';
import { registryKeys } from './registry-repository.js';
import type { WriteItem } from './transact.js';

export type AmhpEntry = AmhpRegisterEntryView;

export async function getAmhp(amhpId: string): Promise<AmhpEntry | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: registryKeys.amhp(amhpId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { [PK]: _p, [SK]: _s, ...entry } = out.Item;
  return entry as AmhpEntry;
}

const stale = () => new HttpProblem('precondition-failed', 'This register entry has changed since you read it: read it again and reapply your change.');

/** Creates (`previousVersion` null) or replaces exactly the version the caller read. */
export const putAmhp = (entry: AmhpEntry, previousVersion: number | null): WriteItem => ({
  item: {
    Put: {
      TableName: tableName('hub'),
      Item: { ...registryKeys.amhp(entry.amhpId), ...entry },
      ...(previousVersion === null
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } }),
    },
  },
  onConditionFailed: previousVersion === null ? () => new HttpProblem('conflict', 'This register entry was created meanwhile: read it and retry with If-Match.') : stale,
});
