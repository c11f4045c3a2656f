/**
 * CDK table and index properties from the ONE table definition (shared/data/tables.ts).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { IndexDef, KeyDef } from '../../shared/data/tables.js';

export const attribute = (key: KeyDef): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export const indexProps = (index: IndexDef): dynamodb.GlobalSecondaryIndexProps => {
  const keys = {
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
  };
  switch (index.projection.type) {
    case 'ALL':
      return { ...keys, projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { ...keys, projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return {
        ...keys,
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projection.attributes],
      };
  }
};

export const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);
