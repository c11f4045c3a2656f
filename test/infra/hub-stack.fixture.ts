/**
 * Template assertions for the CDK stack. Every expectation iterates the single sources of
 * truth (tables, routes, gateway responses, schedules, registry, scopes), so adding a route or
 * an index is covered without touching this file.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`) and handlers are stubbed in a temporary
 * project root: these tests check the infrastructure, not the handler code, and do not depend
 * on every handler existing yet.
 *
 * Split by concern into hub-stack-api.test.ts, hub-stack-security.test.ts, hub-stack-streams.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import type { HubStackProps } from '../../infra/hub-stack.js';
import { createStubRoot, synthHubStack, type StubRoot } from './synth.js';
import { loadRegistry } from '../../infra/local/seed.js';
import type { IndexDef, KeyDef, TableId } from '../../shared/data/tables.js';

export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

export const registry = loadRegistry();
export const routes = ROUTES as readonly RouteDef[];
let stubRoot: StubRoot | undefined;
export let template: Template;

/** The stack with the template validation `cdk synth` runs (test/infra/synth.ts stubs the handlers). */
export const synth = (
  id: string,
  props: Partial<Omit<HubStackProps, 'projectRoot'>> = {},
  context: Record<string, unknown> = {},
): Template => Template.fromStack(synthHubStack(stubRoot!, id, { templateValidation: true, props, context }).stack);

beforeAll(() => {
  stubRoot = createStubRoot('hub-stack-test-');
  template = synth('HubTest');
  // Three files synthesise this stack side by side; on a busy machine one synth can take a minute.
}, 180_000);

afterAll(() => stubRoot?.dispose());

export const resourcesOf = (type: string): Record<string, Resource> =>
  template.findResources(type) as Record<string, Resource>;
export const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
export const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

export const tableLogicalId = (tableId: TableId): string => {
  const ids = Object.keys(resourcesOf('AWS::DynamoDB::Table')).filter((id) =>
    id.startsWith(`Data${pascal(tableId)}Table`),
  );
  expect(ids, `table ${tableId}`).toHaveLength(1);
  return ids[0]!;
};

export const keySchema = (partitionKey: KeyDef, sortKey?: KeyDef) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

export const projectionOf = (index: IndexDef) =>
  index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
    : { ProjectionType: index.projection.type };

/** The bucket's policy denies every request not made over TLS. */
export function expectTlsOnly(bucketId: string): void {
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: bucketId },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
}
