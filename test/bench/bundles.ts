/**
 * Cold-start evidence (ARCHITECTURE "Cost and performance targets"): each handler bundled as
 * CDK bundles it (esbuild, ESM, minified, AWS SDK included), its size and module
 * initialisation time in a fresh Node process, beside a bundle holding only the DynamoDB
 * document client; ratio column, goal ≤ 1.3×. Prints a table; never a pass/fail test.
 * The FHIR facade's handlers (#19: medplum's validator and the R4 definitions it needs) are
 * reported, marked `fhir`, and exempt from the goal. BENCH_FILTER=<regex> bundles only the
 * handlers whose name matches (e.g. BENCH_FILTER=Fhir).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../functions/routes.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { CONSUMERS } from '../../functions/consumers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
const out = mkdtempSync(join(tmpdir(), 'hub-bundles-'));

async function bundle(entry: string | { contents: string }, name: string): Promise<string> {
  const outfile = join(out, `${name}.mjs`);
  await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } }),
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // The same banner CDK's function construct uses, so CommonJS dependencies can require().
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return outfile;
}

/** Median wall time of `import()` of the bundle in a fresh process, environment as in Lambda. */
function initMs(file: string): number {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const env = {
    ...process.env,
    HUB_TABLE: 'hub',
    ANALYTICS_TABLE: 'analytics',
    AUDIT_TABLE: 'audit',
    AWS_REGION: 'eu-west-2',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`init of ${file} failed: ${run.stderr.split('\n')[0]}`);
    times.push(Number(run.stdout));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const baselineEntry = {
  contents: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';\nexport const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async () => client.send(new GetCommand({ TableName: 't', Key: { PK: 'x' } }));\n`,
};

const FILTER = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : undefined;
const isFhir = (id: string) => ROUTES.some((r) => r.id === id && (r.tags as readonly string[]).includes('fhir'));
const entries = [
  ...ROUTES.map((r) => ({ name: r.id, entry: r.handler })),
  ...SCHEDULES.map((s) => ({ name: `schedule:${s.id}`, entry: s.handler })),
  ...CONSUMERS.map((c) => ({ name: `consumer:${c.id}`, entry: c.handler })),
].filter((e) => !FILTER || FILTER.test(e.name));

try {
  // Resolved from the project's node_modules, like the handlers.
  const baseFile = await bundle(baselineEntry, 'baseline');
  const baseKb = statSync(baseFile).size / 1024;
  const baseMs = initMs(baseFile);
  const rows: string[][] = [['handler', 'bundle KB', 'size ×', 'init ms', 'init ×']];
  rows.push(['(document client only)', baseKb.toFixed(0), '1.00', baseMs.toFixed(1), '1.00']);
  const seen = new Set<string>();
  let worst = 0;
  for (const { name, entry } of entries) {
    if (seen.has(entry)) continue;
    seen.add(entry);
    const file = await bundle(resolve(ROOT, entry), name.replace(/[^A-Za-z0-9-]/g, '_'));
    const kb = statSync(file).size / 1024;
    const ms = initMs(file);
    if (!isFhir(name)) worst = Math.max(worst, ms / baseMs);
    rows.push([isFhir(name) ? `${name} (fhir, exempt)` : name, kb.toFixed(0), (kb / baseKb).toFixed(2), ms.toFixed(1), (ms / baseMs).toFixed(2)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\nHandler bundles (esbuild, ESM, minified, SDK bundled) and module initialisation (median of ${RUNS} fresh processes)\n\n`);
  process.stdout.write(`${line(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(`\nGoal (informational): init within 1.3x of the document-client bundle: worst ${worst.toFixed(2)}x ${worst <= 1.3 ? 'met' : 'NOT met'}.\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
