/**
 * Cold-start evidence (ARCHITECTURE "Cost and performance targets", #21): each handler bundled as
 * CDK bundles it (infra/constructs/hub-function.ts: esbuild, ESM, minified, `module` before
 * `main`, AWS SDK included), its size and module initialisation time in a fresh Node process,
 * beside a bundle holding only the DynamoDB document client. Goals printed beside each figure:
 * every handler ≤ 620 KiB minified, init ≤ 1.3× the document-client bundle (FHIR handlers
 * reported apart). Then the create handler's cold start: import + first invocation in a fresh
 * process against DynamoDB Local with the seed registry (median of BENCH_COLD_RUNS ≥ 15), beside
 * the document-client bundle's import + one GetItem. Prints tables; never a pass/fail test.
 * The FHIR facade's handlers (#19: medplum's validator and the R4 definitions it needs) are
 * reported apart and exempt from the goals. BENCH_FILTER=<regex> bundles only the handlers whose
 * name matches (e.g. BENCH_FILTER=Fhir).
 */
import { progressTo, runBench, withBenchStack } from './harness.js';
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../functions/routes.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { CONSUMERS } from '../../functions/consumers.js';
import { envInt, met, table } from './phases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = envInt('BENCH_INIT_RUNS', 7);
const COLD_RUNS = Math.max(15, envInt('BENCH_COLD_RUNS', 15));
const GOALS = { kib: 620, initRatio: 1.3 } as const;
const progress = progressTo('bench:bundles');
const out = mkdtempSync(join(tmpdir(), 'hub-bundles-'));

async function bundle(
  entry: string | { contents: string },
  name: string,
): Promise<{ file: string; metafile: Metafile }> {
  const outfile = join(out, `${name}.mjs`);
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } }),
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // As CDK's bundling options in hub-function.ts: packages' ESM builds first, so they tree-shake.
    mainFields: ['module', 'main'],
    metafile: true,
    // The same banner CDK's function construct uses, so CommonJS dependencies can require().
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return { file: outfile, metafile: result.metafile };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median wall and CPU time (ms) of `script`, which prints "<wall> <cpu>", in fresh processes. */
function freshProcessMs(
  script: string,
  runs: number,
  env: NodeJS.ProcessEnv,
  what: string,
): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${what} failed: ${run.stderr.split('\n').slice(0, 3).join(' ')}`);
    const [w, c] = (run.stdout.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    wall.push(w!);
    cpu.push(c!);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Wraps `body` (top-level await allowed) so the process prints its wall and CPU time. */
const timedScript = (body: string) =>
  `const t0=process.hrtime.bigint();const c0=process.cpuUsage();${body};const c1=process.cpuUsage(c0);` +
  `process.stdout.write(String(Number(process.hrtime.bigint()-t0)/1e6)+' '+String((c1.user+c1.system)/1e3));`;

/** Environment as in Lambda (no DynamoDB reached: module initialisation only). */
const INIT_ENV = {
  ...process.env,
  HUB_TABLE: 'hub',
  ANALYTICS_TABLE: 'analytics',
  AUDIT_TABLE: 'audit',
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};
const initMs = (file: string) =>
  freshProcessMs(timedScript(`await import(${JSON.stringify(file)})`), RUNS, INIT_ENV, `init of ${file}`);

const baselineEntry = {
  contents:
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, GetCommand ` +
    `} from '@aws-sdk/lib-dynamodb';\nexport const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ` +
    `...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT, credentials: { ` +
    `accessKeyId: 'local', secretAccessKey: 'local' } } : {}) }));\nexport const handler = async () => ` +
    `client.send(new GetCommand({ TableName: process.env.HUB_TABLE, Key: { PK: 'CONFIG', SK: 'REGISTRY' } ` +
    `}));\n`,
};

/** The largest packages (or project folders) of a bundle, KiB. */
function largestParts(metafile: Metafile, count: number): string {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
      sizes.set(pkg, (sizes.get(pkg) ?? 0) + input.bytesInOutput);
    }
  }
  return [...sizes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
    .join(', ');
}

const FILTER = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : undefined;
const isFhir = (name: string) => ROUTES.some((r) => r.id === name && (r.tags as readonly string[]).includes('fhir'));

async function main(): Promise<void> {
  const entries = [
    ...ROUTES.map((r) => ({ name: r.id, entry: r.handler })),
    ...SCHEDULES.map((s) => ({ name: `schedule:${s.id}`, entry: s.handler })),
    ...CONSUMERS.map((c) => ({ name: `consumer:${c.id}`, entry: c.handler })),
  ].filter((e) => !FILTER || FILTER.test(e.name) || e.name === 'createReferral');
  const createRoute = ROUTES.find((r) => r.id === 'createReferral');
  if (!createRoute) throw new Error('No createReferral route');
  try {
    const base = await bundle(baselineEntry, 'baseline');
    const baseKb = statSync(base.file).size / 1024;
    const baseMs = initMs(base.file);
    const header = [
      'handler',
      'bundle KiB',
      `<= ${GOALS.kib}`,
      'init ms',
      'init x',
      `<= ${GOALS.initRatio}x`,
      'init CPU ms',
      'CPU x',
      `<= ${GOALS.initRatio}x`,
    ];
    const rows: string[][] = [
      [
        '(document client only)',
        baseKb.toFixed(0),
        '',
        baseMs.wall.toFixed(1),
        '1.00',
        '',
        baseMs.cpu.toFixed(1),
        '1.00',
        '',
      ],
    ];
    const fhirRows: string[][] = [];
    const seen = new Set<string>();
    let worstKb = 0;
    let worstRatio = 0;
    let worstCpu = 0;
    let createFile: string | undefined;
    let createMeta: Metafile | undefined;
    for (const { name, entry } of entries) {
      if (seen.has(entry)) continue;
      seen.add(entry);
      const built = await bundle(resolve(ROOT, entry), name.replace(/[^A-Za-z0-9-]/g, '_'));
      if (entry === createRoute.handler) [createFile, createMeta] = [built.file, built.metafile];
      const kb = statSync(built.file).size / 1024;
      const ms = initMs(built.file);
      const ratio = ms.wall / baseMs.wall;
      const cpuRatio = ms.cpu / baseMs.cpu;
      const row = [
        name,
        kb.toFixed(0),
        met(kb <= GOALS.kib),
        ms.wall.toFixed(1),
        ratio.toFixed(2),
        met(ratio <= GOALS.initRatio),
        ms.cpu.toFixed(1),
        cpuRatio.toFixed(2),
        met(cpuRatio <= GOALS.initRatio),
      ];
      if (isFhir(name)) fhirRows.push(row);
      else {
        rows.push(row);
        worstKb = Math.max(worstKb, kb);
        worstRatio = Math.max(worstRatio, ratio);
        worstCpu = Math.max(worstCpu, cpuRatio);
      }
      progress(`${name}: ${kb.toFixed(0)} KiB, init ${ms.wall.toFixed(1)} ms (CPU ${ms.cpu.toFixed(1)} ms)`);
    }
    const lines: string[] = [];
    lines.push(
      '',
      `Handler bundles (esbuild as CDK: ESM, minified, module-first, SDK bundled) and module ` +
        `initialisation (median of ${RUNS} fresh processes; wall time, and CPU time, which a shared machine ` +
        `disturbs less)`,
      '',
    );
    lines.push(table(header, rows, (c) => c > 0));
    if (fhirRows.length)
      lines.push(
        '',
        'FHIR handlers (reported apart, exempt from the goals):',
        '',
        table(header, fhirRows, (c) => c > 0),
      );
    if (createMeta) lines.push('', `createReferral's largest parts (KiB): ${largestParts(createMeta, 12)}`);
    lines.push(`document client only (KiB): ${largestParts(base.metafile, 6)}`);
    lines.push(
      '',
      `Goals (informational): every handler <= ${GOALS.kib} KiB: largest ${worstKb.toFixed(0)} ` +
        `KiB ${met(worstKb <= GOALS.kib)}; ` +
        (`init <= ${GOALS.initRatio}x the document-client bundle: worst ${worstRatio.toFixed(2)}x ` +
          `wall ${met(worstRatio <= GOALS.initRatio)}, ${worstCpu.toFixed(2)}x ` +
          `CPU ${met(worstCpu <= GOALS.initRatio)}.`),
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    // Printed apart: the figures above stand even if DynamoDB Local cannot start on a busy machine.
    if (createFile) process.stdout.write(`${(await coldStart(createFile, base.file)).join('\n')}\n\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Import + first invocation in a fresh process: the create handler (a new referral as the seed's
 * police-a-triage client, caller resolution, duplicate lookup and the write), and the document
 * client bundle's import + one GetItem, against the same DynamoDB Local, interleaved.
 */
async function coldStart(createFile: string, baseFile: string): Promise<string[]> {
  return withBenchStack(progress, async () => {
    const sample = JSON.parse(
      readFileSync(join(ROOT, 'events/samples/api-gateway/create-referral.json'), 'utf8'),
    ) as Record<string, any>;
    const env = { ...process.env, AWS_REGION: process.env.AWS_REGION ?? 'eu-west-2', POWERTOOLS_LOG_LEVEL: 'ERROR' };
    // Each run: fresh times, a new Idempotency-Key and person, so every invocation writes.
    const createScript =
      `
      const sample = ${JSON.stringify(sample)};
      const body = JSON.parse(sample.body);
      const now = Date.now();
      body.legalStatus = { ...body.legalStatus, detainedAt: new Date(now - 3e6).toISOString(), ` +
      `arrivedAtPlaceOfSafetyAt: new Date(now - 9e5).toISOString() };
      body.person = { ...body.person, familyName: 'Cold' + Math.random().toString(36).replace(/[^a-z]/g, ` +
      `'').slice(0, 8) };
      delete body.person.nhsNumber;
      const event = { ...sample, body: JSON.stringify(body), headers: { ...sample.headers, 'Idempotency-Key': ` +
      `crypto.randomUUID() }, multiValueHeaders: undefined };
      let res;
      ${timedScript(
        `const { handler } = await import(${JSON.stringify(createFile)}); res = await handler(event, { ` +
          `awsRequestId: crypto.randomUUID(), functionName: 'createReferral', getRemainingTimeInMillis: () => ` +
          `10000 })`,
      )}
      if (res.statusCode !== 201) { console.error('create answered ' + res.statusCode + ' ' + res.body); ` +
      `process.exit(1); }
      `;
    const baseScript = timedScript(`const { handler } = await import(${JSON.stringify(baseFile)}); await handler()`);
    const create: { wall: number; cpu: number }[] = [];
    const base: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      create.push(freshProcessMs(createScript, 1, env, 'cold create'));
      base.push(freshProcessMs(baseScript, 1, env, 'cold document client'));
    }
    const row = (label: string, runs: { wall: number; cpu: number }[], against: { wall: number; cpu: number }[]) => {
      const wall = runs.map((r) => r.wall);
      const cpu = median(runs.map((r) => r.cpu));
      return [
        label,
        median(wall).toFixed(1),
        Math.min(...wall).toFixed(1),
        Math.max(...wall).toFixed(1),
        (median(wall) / median(against.map((r) => r.wall))).toFixed(2),
        cpu.toFixed(1),
        (cpu / median(against.map((r) => r.cpu))).toFixed(2),
      ];
    };
    return [
      '',
      `Cold start: import + first invocation in a fresh process, DynamoDB Local with the seed registry ` +
        `(median of ${COLD_RUNS}, interleaved)`,
      '',
      table(
        ['bundle', 'median ms', 'min ms', 'max ms', 'x', 'CPU ms', 'CPU x'],
        [
          row('createReferral: import + one create (201)', create, base),
          row('document client only: import + one GetItem', base, base),
        ],
        (col) => col > 0,
      ),
      '  the create cold: one BatchGet (caller, organisation, settings) beside the person-key Query, then ' +
        'the transaction (test/integration/cold-path.test.ts).',
    ];
  });
}

runBench('bench:bundles', main);
