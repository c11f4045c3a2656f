/** The problem catalogue is complete: every kind has a page entry, every domain code in the source is listed. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../../shared/domain/refusal-codes.js';
import { PROBLEM_KINDS } from '../../shared/http/problem.js';
import { PROBLEM_CATALOGUE } from '../../shared/http/problem-catalogue.js';
import { renderProblemPage } from '../../shared/openapi/problem-page.js';
import { ROOT } from '../support/api.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('problem catalogue', () => {
  it('describes every problem kind', () => {
    expect(Object.keys(PROBLEM_CATALOGUE).sort()).toEqual(Object.keys(PROBLEM_KINDS).sort());
    for (const kind of Object.keys(PROBLEM_KINDS) as (keyof typeof PROBLEM_KINDS)[]) {
      const page = renderProblemPage(kind);
      expect(page).toContain(PROBLEM_CATALOGUE[kind].action.split('`')[0]!.slice(0, 20).replace(/'/g, '&#39;'));
      expect(page).not.toMatch(/<script/i);
    }
  });

  it('lists every refusal code the domain and the handlers use, once', () => {
    const listed = new Set(REFUSAL_CODES.map((c) => c.code));
    expect(listed.size).toBe(REFUSAL_CODES.length);
    const used = new Set<string>();
    for (const file of [...files(join(ROOT, 'shared')), ...files(join(ROOT, 'functions'))]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:code: |refuse\('[a-z]+', |invalid\()'([a-z0-9-]+\.[a-z0-9.-]+)'/g))
        used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const code of used) expect(listed.has(code), code).toBe(true);
  });
});
