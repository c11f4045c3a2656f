/**
 * Synthesises the HubStack for infrastructure tests: handlers stubbed in a temporary project
 * root and bundling skipped (`aws:cdk:bundling-stacks: []`), with the feature flags of
 * cdk.json, so the template is the one `cdk synth` would produce without building any code.
 */
import { loadRegistry } from '../../infra/local/seed.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../functions/functions.js';
import { HubStack, PROJECT_ROOT, type HubStackProps } from '../../infra/hub-stack.js';

/** Every handler module the stack names. */
export const handlerEntries = (): string[] => FUNCTIONS.map((f) => f.handler);

/** A temporary project root with a lock file and one stub per handler; `dispose()` removes it. */
export interface StubRoot {
  readonly dir: string;
  dispose(): void;
}

export const createStubRoot = (prefix = 'hub-infra-test-'): StubRoot => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(dir, 'package-lock.json'), '{}');
  for (const entry of handlerEntries()) {
    mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
    writeFileSync(path.join(dir, entry), 'export const handler = async () => undefined;\n');
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
};

export interface SynthOptions {
  /** Extra context (`-c key=value`). */
  readonly context?: Record<string, unknown>;
  readonly props?: Partial<Omit<HubStackProps, 'projectRoot'>>;
  /** Runs on the app before the stack is built (e.g. adding cdk-nag aspects). */
  readonly beforeStack?: (app: App) => void;
  /**
   * CDK's built-in CloudFormation template validation (a WebAssembly linter, about ten seconds
   * of CPU on a process's first synth). `cdk synth` and hub-stack.test.ts run it; tests that
   * look at one aspect of the template can skip it. @default false
   */
  readonly templateValidation?: boolean;
}

/** The cdk.json context (feature flags), so tests synthesise what `cdk synth` would. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> })
    .context ?? {};

/** Builds the app and stack; call `Template.fromStack` or `Annotations.fromStack` on the result. */
export const synthHubStack = (
  root: StubRoot,
  id: string,
  options: SynthOptions = {},
): { app: App; stack: HubStack } => {
  const app = new App({
    outdir: path.join(root.dir, `cdk.out-${id}`),
    builtinCloudFormationValidation: options.templateValidation ?? false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...options.context },
  });
  options.beforeStack?.(app);
  const stack = new HubStack(app, id, {
    env: { region: 'eu-west-2' },
    ...options.props,
    registry: options.props?.registry ?? loadRegistry(),
    projectRoot: root.dir,
  });
  return { app, stack };
};

/** An IAM policy statement as the template renders it. */
export type PolicyStatementJson = {
  Effect?: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, any>;
  [key: string]: unknown;
};

type TemplateResource = { Type: string; Properties?: Record<string, any> };

/**
 * The identity-policy statements of every role, by the role's logical id, from BOTH places a
 * role's permissions can be written: its own inline `Policies` (Hub functions' roles: see
 * infra/constructs/inline-role.ts) and the AWS::IAM::Policy / AWS::IAM::ManagedPolicy resources
 * attached to it (CDK's DefaultPolicy of other roles, overflow policies). Every test that asks
 * "what may this role do" reads it here, so it cannot miss one of the two.
 */
export const statementsByRole = (template: Template): Map<string, PolicyStatementJson[]> => {
  const resources = (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources;
  const byRole = new Map<string, PolicyStatementJson[]>();
  const add = (roleId: string, statements: PolicyStatementJson[]) =>
    byRole.set(roleId, [...(byRole.get(roleId) ?? []), ...statements]);
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    const inline = (r.Properties?.Policies ?? []) as { PolicyDocument: { Statement?: PolicyStatementJson[] } }[];
    add(
      id,
      inline.flatMap((p) => p.PolicyDocument.Statement ?? []),
    );
  }
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const statements = (r.Properties?.PolicyDocument?.Statement ?? []) as PolicyStatementJson[];
    for (const role of (r.Properties?.Roles ?? []) as unknown[]) {
      const ref = (role as { Ref?: unknown }).Ref;
      if (typeof ref !== 'string') throw new Error(`a policy names a role that is not a Ref: ${JSON.stringify(role)}`);
      add(ref, statements);
    }
  }
  return byRole;
};

/** What one role may do: its inline policies and every policy resource attached to it. */
export const statementsOfRole = <S = PolicyStatementJson>(template: Template, roleLogicalId: string): S[] =>
  (statementsByRole(template).get(roleLogicalId) ?? []) as S[];

/** Every identity-policy statement of every role in the template. */
export const allRoleStatements = <S = PolicyStatementJson>(template: Template): S[] =>
  [...statementsByRole(template).values()].flat() as S[];
