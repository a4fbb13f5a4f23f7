/**
 * Slow consumer: the big organization's records read from the tap's stdout at a throttled rate,
 * far below what the tap can produce, so the tap spends most of the run waiting for its reader.
 * With backpressure working, nothing piles up in the tap: its peak RSS stays flat whatever the
 * organization size. The same extraction runs on the big organization (×1) and on one four times
 * its size (×4, a million records), and the ×1 run's (stream, key) set is checked against a
 * concurrency-1 run.
 *
 * The tap runs with bench/support/heapProbe.ts preloaded, which reports its live heap after full
 * GCs and the most bytes ever waiting in stdout's buffer: what the tap holds, as opposed to the
 * room V8 keeps for garbage, which makes up most of the RSS.
 *
 * Run alone: `npm run build && node dist/bench/slow-consumer.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, sameRecordSet } from './support/recordSet.js';
import { HEAP_PROBE, parseProbe } from './support/probeReport.js';
import { runTap } from './support/runTap.js';
import { startSimulatorProcess } from './support/simulatorProcess.js';
import { BIG_ORG, CONFIG, SEED, STREAMS, referenceRecordSet } from './throughput.bench.js';

/** What the slow reader takes: well under the tap's unthrottled rate on any machine this runs on. */
export const BYTES_PER_SEC = 8 * 2 ** 20;
const TIMES_4: Partial<OrgSizes> = { ...BIG_ORG, workbooks: (BIG_ORG.workbooks ?? 0) * 4 };

export interface SlowConsumerRun {
  readonly size: Partial<OrgSizes>;
  readonly records: number;
  readonly bytes: number;
  readonly wallMs: number;
  /** What the reader actually took. */
  readonly mbPerSec: number;
  readonly peakRssMb: number;
  /** From the heap probe: the tap's heap just after full GCs, and the most bytes waiting in stdout's buffer. */
  readonly liveHeapMb: number;
  readonly maxStdoutBufferMb: number;
}

export interface SlowConsumerResult {
  readonly scenario: 'slow-consumer';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly streams: readonly string[];
  readonly node: string;
  readonly readerMbPerSec: number;
  /** The ×4 run. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly runs: readonly SlowConsumerRun[];
  /** ×4 ÷ ×1 of the peak RSS and of the live heap: 1 is flat. */
  readonly rssGrowth: number;
  readonly liveHeapGrowth: number;
  /** The ×1 run has the same (stream, key) set as a concurrency-1 run. */
  readonly match: boolean;
}

/** `reference`: the big organization's concurrency-1 record set, when the caller already has it. */
export async function slowConsumerBench(reference?: RecordSet): Promise<SlowConsumerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  const runs: SlowConsumerRun[] = [];
  let match = false;
  try {
    for (const size of [BIG_ORG, TIMES_4]) {
      const sim = await startSimulatorProcess({ seed: SEED, sizes: size });
      try {
        const check = size === BIG_ORG;
        const expected = check ? (reference ?? (await referenceRecordSet(sim, dir))) : undefined;
        const file = join(dir, 'slow.jsonl');
        const run = await runTap(sim, {
          streams: STREAMS,
          config: CONFIG,
          consumer: { bytesPerSec: BYTES_PER_SEC, ...(check ? { captureTo: file } : {}) },
          nodeOptions: ['--import', HEAP_PROBE],
        });
        if (check) {
          match = sameRecordSet(expected!, await readRecordSet(file));
          rmSync(file);
        }
        const probe = parseProbe(run.stderrTail);
        runs.push({
          size,
          records: run.output.records,
          bytes: run.output.bytes,
          wallMs: round(run.wallMs),
          mbPerSec: round(run.output.bytes / 2 ** 20 / (run.wallMs / 1000), 1),
          peakRssMb: run.peakRssMb,
          liveHeapMb: probe?.liveHeapMb ?? Number.NaN,
          maxStdoutBufferMb: probe?.maxStdoutBufferMb ?? Number.NaN,
        });
        process.stderr.write(`slow-consumer: ${run.output.records} records read at ${BYTES_PER_SEC / 2 ** 20} MB/s: peak RSS ${run.peakRssMb} MB\n`);
      } finally {
        await sim.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [x1, x4] = runs as [SlowConsumerRun, SlowConsumerRun];
  return {
    scenario: 'slow-consumer',
    seed: SEED,
    size: BIG_ORG,
    streams: STREAMS,
    node: process.version,
    readerMbPerSec: BYTES_PER_SEC / 2 ** 20,
    wallMs: x4.wallMs,
    recordsPerSec: round(x4.records / (x4.wallMs / 1000)),
    peakRssMb: Math.max(x1.peakRssMb, x4.peakRssMb),
    runs,
    rssGrowth: round(x4.peakRssMb / x1.peakRssMb, 2),
    liveHeapGrowth: round(x4.liveHeapMb / x1.liveHeapMb, 2),
    match,
  };
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await slowConsumerBench()), machine: describeMachine() });
