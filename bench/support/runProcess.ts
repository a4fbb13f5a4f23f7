import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type ConsumedOutput, type ConsumerOptions, consumeOutput } from './outputConsumer.js';
import { watchPeakRss } from './peakRss.js';

/** One child process run to its end with its stdout piped to a consumer. */
export interface ProcessRun {
  readonly exitCode: number | null;
  /** From spawn to exit: Node's start-up and module loading included, as a user waits for it. */
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** User + system CPU time of the child (all its threads), sampled just before it exited. */
  readonly cpuMs: number;
  readonly output: ConsumedOutput;
  /** The last lines of stderr (the tap's log), for error messages. */
  readonly stderrTail: string;
  /** Every `METRIC:` line of stderr (the Meltano SDK's metric points), whole. */
  readonly metricLines: readonly string[];
}

/** Runs `node <args>` with stdout piped to {@link consumeOutput} and its peak RSS watched. */
export async function runNode(args: readonly string[], consumer: ConsumerOptions = {}, nodeOptions: readonly string[] = []): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '' },
  });
  const rss = watchPeakRss(child.pid as number);
  let stderr = '';
  const metricLines: string[] = [];
  const stderrLines = createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.includes('METRIC: ')) metricLines.push(line);
  });
  const stderrRead = new Promise<void>((resolve) => stderrLines.once('close', resolve));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  child.stdout.once('end', () => rss.sample());
  const [output, exitCode] = await Promise.all([consumeOutput(child.stdout, consumer), exited, stderrRead]);
  const wallMs = performance.now() - started;
  return { exitCode, wallMs, peakRssMb: rss.stop(), cpuMs: rss.cpuMs(), output, stderrTail: stderr.trim().split('\n').slice(-5).join('\n'), metricLines };
}

/** Throws with the child's last log lines unless it exited 0. */
export function assertSucceeded(what: string, run: ProcessRun): ProcessRun {
  if (run.exitCode !== 0) throw new Error(`${what} exited with ${run.exitCode}:\n${run.stderrTail}`);
  return run;
}
