/**
 * Lines stay within 120 characters (the house rule and Biome's lineWidth in biome.jsonc). Biome
 * cannot break string literals, template literals, comments or regexes, so a long one would
 * otherwise slip through the formatter: this test catches it.
 *
 * Characters are counted as Biome counts them (code points, not UTF-8 bytes: `·` or `’` is one).
 * Generated files are exempt: events/samples/** (npm run samples), clients/typescript/schema.ts
 * (openapi-typescript) and every *.json (shared/fhir/definitions.json among them).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/api.js';

const MAX = 120;

/** Generated, never edited by hand. */
const GENERATED = [/^events\/samples\//, /^clients\/typescript\/schema\.ts$/];

/**
 * `file:line` of lines that truly cannot be split, each with why. Keep it empty: a string can be
 * concatenated, a template split with `+`, a regex built with `new RegExp` from pieces.
 */
const EXCEPTIONS: ReadonlySet<string> = new Set<string>([]);

const trackedFiles = (): string[] =>
  execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.mjs', '*.css', '*.html', '*.jsonc'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((f) => f !== '' && !GENERATED.some((g) => g.test(f)));

describe('line length', () => {
  it(`keeps every line of tracked source, styles and pages within ${MAX} characters`, () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    const long: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      for (const [i, line] of lines.entries()) {
        const length = [...line.replace(/\r$/, '')].length;
        const at = `${file}:${i + 1}`;
        if (length > MAX && !EXCEPTIONS.has(at)) long.push(`${at} (${length})`);
      }
    }
    expect(long, `lines over ${MAX} characters: split them (see the header of this test)`).toEqual([]);
  });

  it('lists no exception that is no longer needed', () => {
    const stale = [...EXCEPTIONS].filter((at) => {
      const [file, line] = at.split(':');
      const text = readFileSync(join(ROOT, file!), 'utf8').split('\n')[Number(line) - 1] ?? '';
      return [...text].length <= MAX;
    });
    expect(stale).toEqual([]);
  });
});
