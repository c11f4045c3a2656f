/**
 * The generated OpenAPI document passes Redocly's recommended ruleset with no error and no
 * warning: written to a temp file and linted by the real CLI with the repo's redocly.yaml.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { ROOT } from '../support/api.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'hub-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Redocly lint', () => {
  it('has no errors and no warnings', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(
      file,
      JSON.stringify(
        buildOpenApiDocument(ROUTES as readonly RouteDef[], {
          version: '1.0.0',
          serverUrl: 'https://api.example.org/live',
        }),
      ),
    );
    const result = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
        'lint',
        file,
        '--config',
        join(ROOT, 'redocly.yaml'),
        '--format',
        'json',
      ],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const report = JSON.parse(result.stdout) as {
      problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
    };
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
