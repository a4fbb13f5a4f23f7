import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConsumerOptions } from './outputConsumer.js';
import { type ProcessRun, assertSucceeded, runNode } from './runProcess.js';

/** The built bin, run as a user runs it. */
export const TAP_BIN = fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url));

export interface TapTarget {
  readonly url: string;
  readonly admin: { readonly clientId: string; readonly clientSecret: string };
}

export interface TapRunOptions {
  /** Settings on top of api_url and the admin credentials (concurrency, page_size, …). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Streams to select from the `--discover` catalog; absent, no catalog is passed (every stream). */
  readonly streams?: readonly string[];
  readonly consumer?: ConsumerOptions;
  /** Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=prof'] to profile a run. */
  readonly nodeOptions?: readonly string[];
  /** A STATE value to start from (`--state`). */
  readonly state?: Readonly<Record<string, unknown>>;
}

interface CatalogEntry {
  readonly stream: string;
}

const catalogs = new Map<string, Promise<CatalogEntry[]>>();

/** `--discover` once per simulator, then a catalog that keeps only the named entries. */
async function catalogFor(target: TapTarget, configFile: string, streams: readonly string[]): Promise<{ streams: CatalogEntry[] }> {
  let discovered = catalogs.get(target.url);
  if (!discovered) {
    discovered = promisify(execFile)(process.execPath, [TAP_BIN, '--config', configFile, '--discover'], { maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stdout }) => (JSON.parse(stdout) as { streams: CatalogEntry[] }).streams,
    );
    catalogs.set(target.url, discovered);
  }
  const entries = (await discovered).filter((entry) => streams.includes(entry.stream));
  const missing = streams.filter((name) => !entries.some((entry) => entry.stream === name));
  if (missing.length > 0) throw new Error(`no such streams in --discover: ${missing.join(', ')}`);
  return { streams: entries };
}

/**
 * Runs `node dist/lib/cli/bin.js --config … [--catalog …] [--state …]` against `target` with stdout
 * piped to a consumer: exactly as a user starts it, with no Node flags of its own.
 */
export async function runTap(target: TapTarget, options: TapRunOptions = {}): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  try {
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ api_url: target.url, client_id: target.admin.clientId, client_secret: target.admin.clientSecret, ...options.config }));
    const args = [TAP_BIN, '--config', configFile];
    if (options.streams) {
      const catalogFile = join(dir, 'catalog.json');
      writeFileSync(catalogFile, JSON.stringify(await catalogFor(target, configFile, options.streams)));
      args.push('--catalog', catalogFile);
    }
    if (options.state) {
      const stateFile = join(dir, 'state.json');
      writeFileSync(stateFile, JSON.stringify(options.state));
      args.push('--state', stateFile);
    }
    return assertSucceeded('the tap', await runNode(args, options.consumer, options.nodeOptions ?? []));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
