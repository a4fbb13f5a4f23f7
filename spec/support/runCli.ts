import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchPeakRss } from '../../bench/support/peakRss.js';

/** The built bin, run as a user runs it. */
export const BIN = fileURLToPath(new URL('../../lib/cli/bin.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly messages: Array<Record<string, unknown>>;
  /** The child's peak resident set (VmHWM), in MB, as last read just before it exited. */
  readonly peakRssMb: number;
}

export interface CliOptions {
  readonly env?: Record<string, string>;
  /** Called with the child right after spawn (to send signals, throttle reading, …). */
  readonly onSpawn?: (child: ReturnType<typeof spawn>) => void;
  readonly timeoutMs?: number;
  /** False for output that is not Singer messages (--discover, --about, --help): `messages` stays empty. */
  readonly parse?: boolean;
  /** False for output too big to hold (read it in `onSpawn`): `stdout` stays empty, and so do `messages`. */
  readonly keepStdout?: boolean;
}

/** One temporary folder per test process, removed when the process exits. */
let scratch: string | undefined;
function scratchFolder(): string {
  if (scratch === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'tap-sigma-spec-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    scratch = folder;
  }
  return scratch;
}

/** Writes `text` into a fresh file of the test process's temporary folder and returns its path. */
export function writeText(name: string, text: string): string {
  const path = join(mkdtempSync(join(scratchFolder(), 'f-')), name);
  writeFileSync(path, text);
  return path;
}

/** Writes `value` as JSON, like writeText. */
export function writeJson(name: string, value: unknown): string {
  return writeText(name, JSON.stringify(value));
}

/** Runs the CLI to completion and parses stdout as Singer messages (a non-JSON line fails the parse). */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const rss = watchPeakRss(child.pid!);
    if (options.keepStdout !== false) child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    else child.stdout.resume();
    // The kernel's high-water mark is readable until the child is reaped: a last look when its output ends.
    child.stdout.on('end', () => rss.sample());
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    options.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const peakRssMb = rss.stop();
      if (options.parse === false || options.keepStdout === false) return resolve({ code, stdout, stderr, messages: [], peakRssMb });
      try {
        const messages = stdout
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, stdout, stderr, messages, peakRssMb });
      } catch (error) {
        reject(new Error(`stdout is not Singer JSON lines: ${(error as Error).message}\n${stdout.slice(0, 500)}`));
      }
    });
  });
}

/** RECORD messages grouped by stream. */
export function recordsByStream(messages: ReadonlyArray<Record<string, unknown>>): Map<string, Array<Record<string, unknown>>> {
  const byStream = new Map<string, Array<Record<string, unknown>>>();
  for (const message of messages) {
    if (message['type'] !== 'RECORD') continue;
    const stream = String(message['stream']);
    if (!byStream.has(stream)) byStream.set(stream, []);
    byStream.get(stream)!.push(message['record'] as Record<string, unknown>);
  }
  return byStream;
}

/** Calls `onLine` with each line the child writes on stdout (for output too big to hold as one string). */
export function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  // The pieces of the line being read: a line of 50 MB comes in hundreds of chunks.
  let pieces: string[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (!chunk.includes('\n')) {
      pieces.push(chunk);
      return;
    }
    const lines = chunk.split('\n');
    lines[0] = pieces.join('') + lines[0]!;
    pieces = [lines.pop()!];
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    const rest = pieces.join('');
    if (rest !== '') onLine(rest);
  });
}

/** Sorted "stream key" strings of every RECORD, using each stream's key_properties: duplicates show. */
export function recordKeys(run: CliResult): string[] {
  const keyProperties = new Map(run.messages.filter((m) => m['type'] === 'SCHEMA').map((m) => [String(m['stream']), m['key_properties'] as string[]]));
  return [...recordsByStream(run.messages)]
    .flatMap(([stream, records]) => records.map((record) => `${stream} ${JSON.stringify(keyProperties.get(stream)!.map((name) => record[name]))}`))
    .sort();
}
