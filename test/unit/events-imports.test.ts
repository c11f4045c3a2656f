/** events/ is the bottom of the import graph: it imports nothing of the project (#18). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EVENTS = join(ROOT, 'events');
/** What events/ may import: zod, types from @types/aws-lambda, Node built-ins, and its own files. */
const ALLOWED = [/^zod(\/|$)/, /^aws-lambda$/, /^node:/];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Every module specifier: static imports and re-exports, `import type`, dynamic `import()` and `require()`. */
const specifiersOf = (text: string): string[] => [
  ...[...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gms)].map((m) => m[1]!),
  ...[...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
  ...[...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
];

/** A specifier is fine when it is allowed or a relative path that stays inside events/. */
const offending = (file: string, specifier: string): boolean => {
  if (ALLOWED.some((re) => re.test(specifier))) return false;
  if (!specifier.startsWith('.')) return true;
  const target = relative(EVENTS, join(file, '..', specifier));
  return target.startsWith('..');
};

describe('events/ imports nothing of the project', () => {
  it('finds the imports it must judge (the scan works)', () => {
    expect(
      specifiersOf(
        "import { z } from 'zod';\nexport * from './a.js';\nimport type { X } from " +
          "'../../shared/x.js';\nconst m = await import('../y.js');",
      ),
    ).toEqual(['zod', './a.js', '../../shared/x.js', '../y.js']);
    const here = join(EVENTS, 'schemas', 'x.ts');
    expect(offending(here, '../../shared/data/client.js')).toBe(true);
    expect(offending(here, '@aws-sdk/util-dynamodb')).toBe(true);
    expect(offending(here, './referral-event.js')).toBe(false);
  });

  it('every file under events/ imports only zod, aws-lambda types, node: and events/ itself', () => {
    const files = sourceFiles(EVENTS);
    expect(files.length).toBeGreaterThan(0);
    const bad = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((s) => offending(file, s))
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });
});
