/**
 * The synthesised HubStack and template helpers the console tests share; its hooks run in every file that
 * imports it.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { createStubRoot, synthHubStack, type StubRoot } from './synth.js';

export type Resource = {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
  Metadata?: Record<string, any>;
};
export type Behavior = Record<string, any>;

export const registry = loadRegistry();
export const routes = ROUTES as readonly RouteDef[];
export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

export let root: StubRoot;
export let template: Template;
export let outdir: string;

beforeAll(() => {
  root = createStubRoot('hub-console-test-');
  const { app, stack } = synthHubStack(root, 'HubConsole');
  template = Template.fromStack(stack);
  outdir = app.outdir;
});
afterAll(() => root?.dispose());

export const resourcesOf = (type: string, t: Template = template): Record<string, Resource> =>
  t.findResources(type) as Record<string, Resource>;
export const only = <T>(record: Record<string, T>, what: string): [string, T] => {
  const entries = Object.entries(record);
  expect(entries, what).toHaveLength(1);
  return entries[0]!;
};
export const idStartingWith = (type: string, prefix: string, t: Template = template): [string, Resource] =>
  only(
    Object.fromEntries(Object.entries(resourcesOf(type, t)).filter(([id]) => id.startsWith(prefix))),
    `${type} ${prefix}*`,
  );

export const consoleBucket = () => idStartingWith('AWS::S3::Bucket', 'ConsoleBucket');
export const distribution = (t: Template = template) =>
  only(resourcesOf('AWS::CloudFront::Distribution', t), 'distribution');
export const distributionConfig = (t: Template = template) =>
  distribution(t)[1].Properties.DistributionConfig as Record<string, any>;
export const originById = (originId: string) =>
  (distributionConfig().Origins as Record<string, any>[]).find((o) => o.Id === originId)!;
export const apiBehaviors = () => distributionConfig().CacheBehaviors as Behavior[];
/** CloudFront path patterns: `*` any characters (`/` included), `?` exactly one. */
export const matches = (pattern: string, urlPath: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(urlPath);
/** A route path with its parameters filled in, as a viewer would request it. */
export const concrete = (routePath: string) => routePath.replace(/\{[^}]+\}/g, '01HZX0EXAMPLE');

/** Fn::Join of strings and intrinsics as one string, each intrinsic shown as `{{<json>}}`. */
export const joined = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(joined).join(join[0]);
  return `{{${JSON.stringify(value)}}}`;
};
