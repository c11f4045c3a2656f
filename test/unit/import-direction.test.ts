/**
 * Imports point one way (#18, docs/architecture.md): infra/ and functions/ import shared/ (and
 * events/); shared/ imports neither; events/ imports nothing of the project; the domain knows
 * neither HTTP nor storage, directly or through another module; no handler imports another.
 *
 * The edges that still break a rule are listed in KNOWN, each with the work that removes it.
 * The list may only shrink: an edge that no longer exists fails the test until it is removed
 * from the list, and a new breaking edge fails it at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/functions.js';
import { ROOT } from '../support/api.js';

/** Rule-breaking edges still in the tree (`from -> to`, repository-relative). */
const KNOWN: Record<string, string> = {
  // None left: add none. (An edge listed here must be removed from the code, then from here.)
};

const SOURCE_DIRS = ['shared', 'functions', 'infra', 'events'];

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sourceFiles(join(dir, name));
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [join(dir, name)] : [];
  });
}

/** The project files a file imports (static, dynamic and, unless `valuesOnly`, type-only), repository-relative. */
function importsOf(file: string, valuesOnly = false): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ]
    .filter((m) => !(valuesOnly && /^(?:import|export)\s+type\s/.test(m[0])))
    .map((m) => m[1] ?? m[2]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(ROOT, resolve(dirname(join(ROOT, file)), s.replace(/\.js$/, '.ts'))));
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const under = (file: string, dir: string) => file.startsWith(`${dir}/`);
/** Handlers: the files the route table, the schedule list and the consumer list name. */
const HANDLERS = new Set<string>(FUNCTIONS.map((h) => h.handler));
const isHandler = (file: string) => HANDLERS.has(file);

/** What a bundle keeps: `import type` is erased (an inline `{ type X }` is kept, as verbatimModuleSyntax does). */
const valueGraph = new Map(files.map((f) => [f, importsOf(f, true)]));

/** Every module reachable from `file`, with the path that reaches it. */
function reachable(file: string, edges = graph): Map<string, string[]> {
  const seen = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length) {
    const next = queue.shift()!;
    for (const to of edges.get(next) ?? []) {
      if (seen.has(to)) continue;
      seen.set(to, [...seen.get(next)!, to]);
      queue.push(to);
    }
  }
  return seen;
}

/** Edges that break a rule, as `from -> to` with the rule. */
function breakingEdges(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const edge = `${from} -> ${to}`;
      if ((under(from, 'shared') || under(from, 'events')) && (under(to, 'infra') || under(to, 'functions')))
        out.set(edge, 'shared/ and events/ import neither infra/ nor functions/');
      if (under(from, 'events') && !under(to, 'events')) out.set(edge, 'events/ imports nothing of the project');
      if (isHandler(from) && isHandler(to)) out.set(edge, 'no handler imports another');
      if (under(from, 'shared/domain') && (under(to, 'shared/http') || under(to, 'shared/data')))
        out.set(edge, 'the domain imports neither shared/http nor shared/data');
    }
  }
  return out;
}

describe('imports point one way (#18)', () => {
  const edges = breakingEdges();

  it('no rule-breaking import beyond the known ones', () => {
    const unknown = [...edges].filter(([edge]) => !(edge in KNOWN)).map(([edge, rule]) => `${edge}  (${rule})`);
    expect(unknown).toEqual([]);
  });

  it('every known exception still exists (the list only shrinks)', () => {
    expect(Object.keys(KNOWN).filter((edge) => !edges.has(edge))).toEqual([]);
  });

  it('the domain reaches neither HTTP nor storage through another module', () => {
    const leaks: string[] = [];
    for (const file of files.filter((f) => under(f, 'shared/domain'))) {
      for (const [to, path] of reachable(file)) {
        if (!(under(to, 'shared/http') || under(to, 'shared/data'))) continue;
        // A path that starts with a known direct edge is that edge's debt, not a new leak.
        const first = `${path[0]} -> ${path[1]}`;
        if (first in KNOWN || path.slice(1).some((p, i) => `${path[i]} -> ${p}` in KNOWN)) continue;
        leaks.push(path.join(' -> '));
      }
    }
    expect(leaks).toEqual([]);
  });

  it('no handler reaches the route table: it bundles only its own route (#21)', () => {
    // The documentation handlers too: they serve the description generated ahead of time (npm run openapi).
    const leaks = [...HANDLERS]
      .map((h) => reachable(h).get('functions/routes.ts'))
      .filter((path) => path !== undefined)
      .map((path) => path.join(' -> '));
    expect(leaks).toEqual([]);
  });

  it('the create handler builds no schema its requests do not use (#21: the event and registry schemas)', () => {
    const bundled = reachable('functions/referrals/create.ts', valueGraph);
    expect(bundled.has('shared/schemas/referral.ts')).toBe(true);
    const unused = ['shared/schemas/referral-events.ts', 'shared/schemas/registry.ts'].filter((f) => bundled.has(f));
    expect(unused.map((f) => bundled.get(f)!.join(' -> '))).toEqual([]);
  });

  it("each route's handler imports its own route module, which imports no other route", () => {
    const wrong: string[] = [];
    for (const f of FUNCTIONS.filter((f) => f.trigger === 'http')) {
      const own = `functions/routes/${f.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
      if (!graph.get(f.handler)?.includes(own)) wrong.push(`${f.handler} does not import ${own}`);
      const others = (graph.get(own) ?? []).filter(
        (to) => to === 'functions/routes.ts' || under(to, 'functions/routes'),
      );
      if (others.length) wrong.push(`${own} imports ${others.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the checker sees imports (a control)', () => {
    expect(graph.get('functions/referrals/post-event.ts')).toContain('shared/domain/referral-transition.ts');
    expect(isHandler('functions/referrals/post-event.ts')).toBe(true);
    expect(isHandler('functions/extracts/respond.ts')).toBe(false);
    expect(reachable('functions/functions.ts').has('functions/routes.ts')).toBe(true);
    expect(reachable('functions/docs/page.ts').get('shared/openapi/servers.ts')?.length).toBe(3);
    expect(files.length).toBeGreaterThan(100);
  });
});
