import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords } from '../support/expectedRecords.js';

/** dist/spec/e2e/ → the project root. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');

/** The fenced code block right after `<!-- example:NAME -->` in the README. */
function readmeExample(name: string): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const marker = readme.indexOf(`<!-- example:${name} -->`);
  assert.ok(marker >= 0, `README has no <!-- example:${name} --> marker`);
  const open = readme.indexOf('```', marker);
  const start = readme.indexOf('\n', open) + 1;
  return readme.slice(start, readme.indexOf('\n```', start) + 1);
}

/**
 * The environment without what `npm test` sets for this project's lifecycle (its prefix, package and
 * script), so that a nested npm works on the folder it is given and nothing else.
 */
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_(package_|lifecycle_|command$|config_(local_prefix|prefix|global_prefix|global)$)/i.test(key)),
);

/** Runs a command that needs nothing from this process (npm, tsc) to completion; fails the test on a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 170_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Runs `node file` in `cwd` without blocking this process, whose simulator the script talks to; resolves with stdout. */
function runNode(file: string, cwd: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`node ${file} exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

describe('the published package (npm pack, installed in a fresh folder, used from plain Node)', { timeout: 300_000 }, () => {
  let work: string;
  let app: string;
  let packed: string[];
  let sim: Simulator;
  let config: Record<string, unknown>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tap-sigma-pack-'));
    // --ignore-scripts: `prepare` would rebuild dist/ while other specs read it; `npm test` has just built it.
    const pack = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], PROJECT_ROOT);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed = info!.files.map((f) => f.path);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tap-sigma-consumer', private: true, type: 'module' }));
    // Dependencies come from the npm cache when it has them (CI after `npm ci`), from the registry otherwise.
    run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', join(work, info!.filename)], app);
    sim = await startSimulator({ seed: 9 });
    config = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
  });

  after(() => {
    sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('ships the built library with its .d.ts files, the record types, the schema file, the bin and the README, and no sources or specs', () => {
    for (const file of [
      'package.json',
      'README.md',
      'meltano.yml',
      'meltano-big-org.yml',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/cli/bin.js',
      'dist/pipelines/recordTypes.generated.d.ts',
      'dist/pipelines/schemas/sigma-get-operations.json',
    ]) {
      assert.ok(packed.includes(file), `${file} is in the tarball`);
    }
    const stray = packed.filter((path) => /^(lib|pipelines|spec|fixtures|bench|scripts)\//.test(path) || path.startsWith('dist/spec/') || path.startsWith('dist/fixtures/'));
    assert.deepEqual(stray, []);
  });

  test('a plain .mjs file imports it, subscribes to workbooks and gets every workbook', async () => {
    writeFileSync(
      join(app, 'workbooks.mjs'),
      [
        "import { createTap } from 'tap-sigma';",
        'const tap = createTap(JSON.parse(process.env.TAP_CONFIG));',
        'const ids = [];',
        "tap.records('workbooks').subscribe({",
        '  next: (workbook) => ids.push(workbook.workbookId),',
        '  error: (error) => { console.error(error); process.exitCode = 1; },',
        '  complete: () => console.log(JSON.stringify({ count: ids.length, ids })),',
        '});',
        '',
      ].join('\n'),
    );
    const stdout = await runNode('workbooks.mjs', app, { PATH: process.env['PATH'] ?? '', TAP_CONFIG: JSON.stringify(config) });
    const { count, ids } = JSON.parse(stdout) as { count: number; ids: string[] };
    const definition = streams.find((s) => s.name === 'workbooks')!;
    const truth = expectedRecords(sim.org, streams, definition, validateConfig(config)).map((r) => String(r['workbookId']));
    assert.equal(count, truth.length);
    assert.deepEqual([...ids].sort(), [...truth].sort());
  });

  test('the README\'s JavaScript example runs as written and prints every workbook', async () => {
    writeFileSync(join(app, 'example.mjs'), readmeExample('library-js'));
    const env = { PATH: process.env['PATH'] ?? '', TAP_SIGMA_API_URL: String(config['api_url']), TAP_SIGMA_CLIENT_ID: String(config['client_id']), TAP_SIGMA_CLIENT_SECRET: String(config['client_secret']) };
    const lines = (await runNode('example.mjs', app, env)).trim().split('\n');
    const definition = streams.find((s) => s.name === 'workbooks')!;
    const truth = expectedRecords(sim.org, streams, definition, validateConfig(config)).map((r) => String(r['workbookId']));
    assert.equal(lines.at(-1), `${truth.length} workbooks`);
    assert.deepEqual(lines.slice(0, -1).map((line) => line.split(' ')[0]).sort(), [...truth].sort());
  });

  test('the README\'s for-await example runs as written and prints every workbook', async () => {
    writeFileSync(join(app, 'for-await.mjs'), readmeExample('library-for-await'));
    const env = { PATH: process.env['PATH'] ?? '', TAP_SIGMA_API_URL: String(config['api_url']), TAP_SIGMA_CLIENT_ID: String(config['client_id']), TAP_SIGMA_CLIENT_SECRET: String(config['client_secret']) };
    const lines = (await runNode('for-await.mjs', app, env)).trim().split('\n');
    const definition = streams.find((s) => s.name === 'workbooks')!;
    const truth = expectedRecords(sim.org, streams, definition, validateConfig(config)).map((r) => String(r['workbookId']));
    assert.equal(lines.at(-1), `${truth.length} workbooks`);
    assert.deepEqual(lines.slice(0, -1).map((line) => line.split(' ')[0]).sort(), [...truth].sort());
  });

  test('the README\'s pipeline example writes a whole sync into a file: Singer lines, every workbook', async () => {
    writeFileSync(join(app, 'to-file.mjs'), readmeExample('library-pipeline'));
    const env = { PATH: process.env['PATH'] ?? '', TAP_SIGMA_API_URL: String(config['api_url']), TAP_SIGMA_CLIENT_ID: String(config['client_id']), TAP_SIGMA_CLIENT_SECRET: String(config['client_secret']) };
    const out = join(app, 'sigma.jsonl');
    assert.equal((await runNode('to-file.mjs', app, env, [out])).trim(), `${streams.length} streams written`);
    const messages = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; stream?: string; record?: Record<string, unknown> });
    assert.equal(messages.at(-1)!.type, 'STATE');
    const workbooks = messages.filter((m) => m.type === 'RECORD' && m.stream === 'workbooks').map((m) => String(m.record!['workbookId']));
    const definition = streams.find((s) => s.name === 'workbooks')!;
    const truth = expectedRecords(sim.org, streams, definition, validateConfig(config)).map((r) => String(r['workbookId']));
    assert.deepEqual(workbooks.sort(), [...truth].sort());
  });

  test('its types: records() is typed by stream name, unknown names and wrong field types do not compile (README TypeScript example included)', () => {
    writeFileSync(join(app, 'readme-example.ts'), readmeExample('library-ts'));
    writeFileSync(
      join(app, 'types.ts'),
      [
        "import type { Observable } from 'rxjs';",
        "import { type StreamRecords, type WorkbooksRecord, InputError, createTap } from 'tap-sigma';",
        "const tap = createTap({ api_url: 'https://aws-api.sigmacomputing.com', client_id: 'id', client_secret: 'secret' });",
        "const workbooks: Observable<WorkbooksRecord> = tap.records('workbooks');",
        "const pages: Observable<StreamRecords['workbook_pages']> = tap.records('workbook_pages');",
        'workbooks.subscribe((w) => { const id: string = w.workbookId; void id; });',
        '// @ts-expect-error workbookId is a string',
        'workbooks.subscribe((w) => { const id: number = w.workbookId; void id; });',
        '// @ts-expect-error not a stream name',
        "tap.records('no_such_stream');",
        'void pages; void InputError;',
        '',
      ].join('\n'),
    );
    const nodeTypes = join(PROJECT_ROOT, 'node_modules/@types');
    run(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--typeRoots', nodeTypes, '--types', 'node', 'types.ts', 'readme-example.ts'], app);
  });

  test('installs the tap-sigma command', () => {
    const result = run(join(app, 'node_modules/.bin/tap-sigma'), ['--version'], app);
    assert.match(result.stdout, /^tap-sigma v\d+\.\d+\.\d+/);
  });
});
