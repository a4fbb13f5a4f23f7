import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../config/loadConfig.js';
import { readJsonObject } from '../config/readJsonObject.js';
import { OutputClosedError, TapSigmaError, describeError } from '../errors.js';
import { Logger, logLevelFromEnv } from '../log/logger.js';
import { SyncMetrics } from '../metrics/syncMetrics.js';
import { type ProgressOutput, SyncProgress, progressMode } from '../progress/syncProgress.js';
import type { Catalog } from '../singer/catalog.js';
import { parseCatalog } from '../singer/parseCatalog.js';
import { parseState } from '../singer/parseState.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { createTap } from '../tap/createTap.js';
import type { SyncObserver } from '../tap/syncObserver.js';
import type { SyncReport } from '../tap/syncReport.js';
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
      const discovery = createTap(config, streams, { logger });
      try {
        return print(io.stdout, `${JSON.stringify(await discovery.discover(io.signal ? { signal: io.signal } : {}), null, 2)}\n`);
      } finally {
        discovery.close();
      }
    }
    const catalog: Catalog | undefined = args.catalog ? parseCatalog(readJsonObject(args.catalog, 'catalog'), args.catalog) : undefined;
    const state = args.state ? parseState(readJsonObject(args.state, 'state'), args.state) : undefined;
    const startedAt = performance.now();
    const metrics = new SyncMetrics({ logger, definitions: streams });
    const totals = new RunTotals();
    const tap = createTap(config, streams, { logger });
    const output = tap.singerStream({
      observers: [metrics, progress, totals],
      ...(catalog ? { catalog } : {}),
      ...(state ? { state } : {}),
      ...(args.test ? { sample: true } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    progress.start(logger);
    try {
      await pipeline(output, io.stdout, { end: false }).catch((error: unknown) => {
        throw isClosedPipe(error) ? new OutputClosedError() : error;
      });
    } finally {
      progress.stop();
      metrics.finish();
      metrics.dropped(output.report.droppedCounts());
      tap.close();
    }
    const { report } = output;
    report.logTallies();
    if (args.test) return reportAvailability(report, streams, io.stderr);
    const aborted = io.signal?.aborted === true;
    logger.info(report.summaryLine({ records: totals.recordCount, requests: totals.requestCount, seconds: (performance.now() - startedAt) / 1000, aborted }));
    if (!aborted && report.syncedStreams.length === 0 && report.unavailableStreams.length > 0) {
      throw new TapSigmaError(`nothing was extracted: every selected stream is unavailable to this client (${report.unavailableStreams.map((u) => u.stream).join(', ')})`, 'TAP_SIGMA_NOTHING_AVAILABLE');
    }
    return 0;
  } catch (error) {
    io.stderr.write(`${TAP_NAME}: ${logger.redact(describeError(error))}\n`);
    return 1;
  }
}

/** `--test`: one line per selected stream on stderr; exit 0 when at least one stream answered. */
function reportAvailability(report: SyncReport, streams: readonly StreamDefinition[], stderr: Writable): number {
  const found = report.availabilities;
  for (const name of report.selectedStreams) {
    const entry = found.get(name);
    const parent = streams.find((s) => s.name === name)?.parent;
    const text = entry ? `${entry.availability}${entry.detail ? ` (${entry.detail})` : ''}` : parent ? `no parent to test with (${parent} has no records)` : 'not tested';
    stderr.write(`${TAP_NAME} --test: ${name}: ${text}\n`);
  }
  const available = [...found.values()].filter((e) => e.availability === 'available').length;
  stderr.write(`${TAP_NAME} --test: ${available} of ${report.selectedStreams.length} streams available\n`);
  return available > 0 ? 0 : 1;
}

/** Records and requests of the run, for its summary line. */
class RunTotals implements SyncObserver {
  recordCount = 0;
  requestCount = 0;

  request(): void {
    this.requestCount += 1;
  }

  records(_stream: string, count: number): void {
    this.recordCount += count;
  }
}

function isClosedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function print(stream: Writable, text: string): number {
  stream.write(text);
  return 0;
}
