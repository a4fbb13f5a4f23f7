import type { Writable } from 'node:stream';
import { loadConfig } from '../config/loadConfig.js';
import { readJsonObject } from '../config/readJsonObject.js';
import { describeError } from '../errors.js';
import { Logger, logLevelFromEnv } from '../log/logger.js';
import { SyncMetrics } from '../metrics/syncMetrics.js';
import { type ProgressOutput, SyncProgress, progressMode } from '../progress/syncProgress.js';
import type { Catalog } from '../singer/catalog.js';
import { parseCatalog } from '../singer/parseCatalog.js';
import { parseState } from '../singer/parseState.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { runSync } from '../tap/runSync.js';
import { catalogEntryOf } from '../tap/streamPlan.js';
import { renderAbout, TAP_NAME } from './about.js';
import { USAGE, parseArgs } from './args.js';
import { packageVersion } from './version.js';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGTERM/SIGINT: stop fetching, write a final STATE, exit 0. */
  readonly signal?: AbortSignal;
}

/**
 * The Singer command line. Does nothing on import; returns the exit code. Bad input and fatal API
 * errors become one line on stderr (secrets redacted) and exit code 1, never a stack trace.
 * A sync also writes Meltano metric lines and progress (live on a terminal) to stderr.
 */
export async function main(argv: readonly string[], io: CliIo, streams: readonly StreamDefinition[]): Promise<number> {
  const level = logLevelFromEnv(io.env);
  const stderr = io.stderr as Writable & ProgressOutput;
  // Every log line goes through the progress display, which keeps them above its live block.
  const progress = new SyncProgress({ output: stderr, definitions: streams, mode: progressMode(stderr, level, io.stdout as { isTTY?: boolean }) });
  const logger = new Logger(progress, level);
  try {
    const args = parseArgs(argv);
    if (args.help) return print(io.stdout, USAGE);
    if (args.version) return print(io.stdout, `${TAP_NAME} v${packageVersion()}\n`);
    if (args.about) return print(io.stdout, renderAbout(args.format, packageVersion()));
    const config = loadConfig(args.config, io.env);
    logger.addSecret(config.client_secret);
    if (args.discover) {
      const catalog = { streams: streams.map(catalogEntryOf) };
      return print(io.stdout, `${JSON.stringify(catalog, null, 2)}\n`);
    }
    const catalog: Catalog | undefined = args.catalog ? parseCatalog(readJsonObject(args.catalog, 'catalog'), args.catalog) : undefined;
    const state = args.state ? parseState(readJsonObject(args.state, 'state'), args.state) : undefined;
    const startedAt = performance.now();
    const metrics = new SyncMetrics({ logger, definitions: streams });
    progress.start(logger);
    const summary = await runSync({
      config,
      definitions: streams,
      output: io.stdout,
      logger,
      observers: [metrics, progress],
      ...(catalog ? { catalog } : {}),
      ...(state ? { state } : {}),
      ...(args.test ? { sample: true } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    }).finally(() => {
      progress.stop();
      metrics.finish();
    });
    const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
    const seconds = (performance.now() - startedAt) / 1000;
    logger.info(`${summary.aborted ? 'stopped early' : 'sync finished'}: ${total} records from ${summary.requests} requests in ${seconds.toFixed(1)} s`);
    return 0;
  } catch (error) {
    io.stderr.write(`${TAP_NAME}: ${logger.redact(describeError(error))}\n`);
    return 1;
  }
}

function print(stream: Writable, text: string): number {
  stream.write(text);
  return 0;
}
