import type { RequestEvent } from '../http/sigmaClient.js';
import type { LogLevel, LogSink, Logger } from '../log/logger.js';
import { streamTrees } from '../metrics/streamTrees.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import type { SyncObserver } from '../tap/syncObserver.js';

/** `live`: a block of lines redrawn in place; `plain`: an info log line now and then; `off`: nothing. */
export type ProgressMode = 'live' | 'plain' | 'off';

/** stderr, or anything shaped like it. Only a terminal (isTTY) gets the live display. */
export interface ProgressOutput extends LogSink {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

export interface SyncProgressOptions {
  /** stderr. Progress never goes anywhere else: stdout belongs to the Singer messages. */
  readonly output: ProgressOutput;
  readonly definitions: readonly StreamDefinition[];
  readonly mode: ProgressMode;
  /** Live mode: the block is redrawn at most this often (250 ms: four times a second). */
  readonly liveIntervalMs?: number;
  /** Plain mode: one summary line this often. */
  readonly plainIntervalMs?: number;
  /** Milliseconds on a monotonic clock (`performance.now` by default). */
  readonly now?: () => number;
}

/** Live redraws per second are capped by this interval. */
export const LIVE_INTERVAL_MS = 250;
/** A plain summary line this often when stderr is not a terminal. */
export const PLAIN_INTERVAL_MS = 30_000;
/** The req/s of the live header is measured over this window. */
const RATE_WINDOW_MS = 5_000;

/**
 * `live` when stderr is a terminal, `plain` otherwise; `off` when info lines are not wanted (LOGLEVEL
 * warn or error). Also `plain` when stdout is the same kind of terminal: Singer lines written between
 * two redraws would be erased by the next one.
 */
export function progressMode(output: ProgressOutput, level: LogLevel, stdout?: { readonly isTTY?: boolean }): ProgressMode {
  if (level === 'warn' || level === 'error') return 'off';
  return output.isTTY === true && stdout?.isTTY !== true ? 'live' : 'plain';
}

interface StreamProgress {
  records: number;
  requests: number;
  retries: number;
  firstAt: number;
  lastAt: number;
  done: boolean;
  /** Records at the last plain line, for "most records since the last line". */
  recordsAtLastLine: number;
}

/**
 * Shows how a sync is going, on stderr only. On a terminal: a header (records, requests, req/s over the
 * last 5 s, retries, elapsed) and one line per stream (records, records/s, requests, retries; running
 * streams first), cut to the terminal's size and redrawn in place at most four times a second. Elsewhere (a pipe, Meltano, CI): one info line every 30 s.
 * It is also the log sink of the run's Logger, so that a log line in live mode is written above the block
 * instead of being overwritten by it.
 * @example
 * const progress = new SyncProgress({ output: process.stderr, definitions: streams, mode: progressMode(process.stderr, 'info') });
 * const logger = new Logger(progress, 'info');
 * progress.start(logger);
 * await runSync({ ...options, logger, observers: [progress] });
 * progress.stop();
 */
export class SyncProgress implements SyncObserver, LogSink {
  private readonly streams = new Map<string, StreamProgress>();
  private readonly treeOf: ReadonlyMap<string, readonly string[]>;
  private readonly now: () => number;
  private readonly samples: Array<{ at: number; requests: number }> = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private logger: Pick<Logger, 'info'> | undefined;
  private startedAt = 0;
  private totalRequests = 0;
  private totalRetries = 0;
  private requestsAtLastLine = 0;
  private lastLineAt = 0;
  private drawnLines = 0;
  private dirty = false;
  private running = false;

  constructor(private readonly options: SyncProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.treeOf = streamTrees(options.definitions);
  }

  /** Starts the display; plain lines go through `logger` (info level, redacted like every log line). */
  start(logger: Pick<Logger, 'info'>): void {
    if (this.running || this.options.mode === 'off') return;
    this.logger = logger;
    this.running = true;
    this.startedAt = this.lastLineAt = this.now();
    const interval = this.options.mode === 'live' ? (this.options.liveIntervalMs ?? LIVE_INTERVAL_MS) : (this.options.plainIntervalMs ?? PLAIN_INTERVAL_MS);
    this.timer = setInterval(() => this.tick(), interval);
    // Progress must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Stops the display. Live mode leaves the final block on screen, so the totals stay readable. */
  stop(): void {
    if (!this.running) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.mode === 'live') this.redraw();
    this.running = false;
    this.drawnLines = 0;
  }

  /** Redraws (live) or writes a summary line (plain) when due; the timer calls it. */
  tick(): void {
    if (!this.running) return;
    if (this.options.mode === 'live') {
      if (this.dirty || this.drawnLines === 0) this.redraw();
    } else {
      this.logger?.info(this.summaryLine());
    }
  }

  // --- SyncObserver ---

  request(event: RequestEvent): void {
    const now = this.now();
    this.totalRequests += 1;
    if (event.retry) this.totalRetries += 1;
    const name = event.stream;
    if (name !== undefined) {
      const stream = this.streamProgress(name, now);
      stream.requests += 1;
      if (event.retry) stream.retries += 1;
      stream.lastAt = now;
    }
    this.dirty = true;
  }

  records(name: string, count: number): void {
    const now = this.now();
    const stream = this.streamProgress(name, now);
    stream.records += count;
    stream.lastAt = now;
    this.dirty = true;
  }

  treeDone(root: string): void {
    for (const name of this.treeOf.get(root) ?? [root]) {
      const stream = this.streams.get(name);
      if (stream) stream.done = true;
    }
    this.dirty = true;
  }

  // --- LogSink: log lines go above the live block ---

  write(line: string): unknown {
    if (this.running && this.options.mode === 'live' && this.drawnLines > 0) {
      this.options.output.write(eraseLines(this.drawnLines));
      this.drawnLines = 0;
      this.dirty = true;
    }
    return this.options.output.write(line);
  }

  // --- rendering ---

  /** The live block: a header and one line per stream, unfinished streams first, cut to the terminal. */
  renderBlock(): string[] {
    const now = this.now();
    const width = Math.max(20, (this.options.output.columns ?? 100) - 1);
    const maxStreams = Math.max(1, (this.options.output.rows ?? 24) - 3);
    const totalRecords = [...this.streams.values()].reduce((sum, s) => sum + s.records, 0);
    const header = `tap-sigma: ${totalRecords} records, ${this.totalRequests} requests, ${this.requestRate(now).toFixed(1)} req/s, ${this.totalRetries} retries, ${formatSeconds(now - this.startedAt)}`;
    // Streams still running first (by name, so lines do not jump around), then finished ones, biggest first.
    const entries = [...this.streams.entries()].sort(([a, x], [b, y]) => Number(x.done) - Number(y.done) || (x.done ? y.records - x.records : 0) || a.localeCompare(b));
    const nameWidth = Math.min(40, Math.max(0, ...entries.map(([name]) => name.length)));
    const lines = entries.slice(0, maxStreams).map(([name, s]) => {
      const rate = s.records / Math.max(1, ((s.done ? s.lastAt : now) - s.firstAt) / 1000);
      return `  ${name.padEnd(nameWidth)}  ${String(s.records).padStart(8)} rec  ${rate.toFixed(0).padStart(6)} rec/s  ${`${s.requests} req`.padStart(9)}  ${s.retries} retries${s.done ? '  done' : ''}`;
    });
    if (entries.length > maxStreams) lines.push(`  … and ${entries.length - maxStreams} more streams`);
    return [header, ...lines].map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
  }

  /** The plain line: totals, the request rate since the last line, and the streams that grew most. */
  summaryLine(): string {
    const now = this.now();
    const totalRecords = [...this.streams.values()].reduce((sum, s) => sum + s.records, 0);
    const rate = (this.totalRequests - this.requestsAtLastLine) / Math.max(0.001, (now - this.lastLineAt) / 1000);
    const growth = [...this.streams.entries()]
      .map(([name, s]) => [name, s.records - s.recordsAtLastLine] as const)
      .filter(([, added]) => added > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const busiest = growth.slice(0, 5).map(([name, added]) => `${name} +${added}`);
    const more = growth.length > 5 ? `, … ${growth.length - 5} more` : '';
    for (const stream of this.streams.values()) stream.recordsAtLastLine = stream.records;
    this.requestsAtLastLine = this.totalRequests;
    this.lastLineAt = now;
    const done = [...this.streams.values()].filter((s) => s.done).length;
    return `progress: ${totalRecords} records, ${this.totalRequests} requests (${this.totalRetries} retries), ${rate.toFixed(1)} req/s, ${done}/${this.streams.size} streams done, ${formatSeconds(now - this.startedAt)} elapsed${busiest.length > 0 ? `; since the last line: ${busiest.join(', ')}${more}` : ''}`;
  }

  private redraw(): void {
    const lines = this.renderBlock();
    const erase = this.drawnLines > 0 ? eraseLines(this.drawnLines) : '';
    this.options.output.write(`${erase}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
    this.dirty = false;
  }

  private requestRate(now: number): number {
    this.samples.push({ at: now, requests: this.totalRequests });
    while (this.samples.length > 1 && now - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    const oldest = this.samples[0]!;
    const seconds = (now - oldest.at) / 1000;
    return seconds <= 0 ? 0 : (this.totalRequests - oldest.requests) / seconds;
  }

  private streamProgress(name: string, now: number): StreamProgress {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = { records: 0, requests: 0, retries: 0, firstAt: now, lastAt: now, done: false, recordsAtLastLine: 0 };
      this.streams.set(name, stream);
    }
    return stream;
  }
}

/** Moves the cursor `count` lines up, to the first column, and clears everything below it. */
function eraseLines(count: number): string {
  return `\u001b[${count}A\r\u001b[0J`;
}

function formatSeconds(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)} min ${total % 60} s`;
}

