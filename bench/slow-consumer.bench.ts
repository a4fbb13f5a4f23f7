/**
 * Slow consumer: the big organization's records read from the tap's stdout at a throttled rate,
 * far below what the tap can produce, so the tap spends most of the run waiting for its reader.
 * With backpressure working, nothing piles up in the tap: its peak RSS stays flat whatever the
 * organization size. The same extraction runs at a quarter of the size and at full size, each
 * throttled and unthrottled, and the throttled full-size run's (stream, key) set is checked against
 * a concurrency-1 run.
 *
 * Run alone: `npm run build && node dist/bench/slow-consumer.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, sameRecordSet } from './support/recordSet.js';
import { runTap } from './support/runTap.js';
import { startSimulatorProcess } from './support/simulatorProcess.js';
import { BIG_ORG, CONFIG, SEED, STREAMS, referenceRecordSet } from './throughput.bench.js';

/** What the slow reader takes: well under the tap's unthrottled rate on any machine this runs on. */
export const BYTES_PER_SEC = 8 * 2 ** 20;
const QUARTER: Partial<OrgSizes> = { ...BIG_ORG, workbooks: Math.round((BIG_ORG.workbooks ?? 0) / 4) };

export interface SlowConsumerRun {
  readonly size: Partial<OrgSizes>;
  readonly throttled: boolean;
  readonly records: number;
  readonly bytes: number;
  readonly wallMs: number;
  /** What the reader actually took. */
  readonly mbPerSec: number;
  readonly peakRssMb: number;
}

export interface SlowConsumerResult {
  readonly scenario: 'slow-consumer';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly streams: readonly string[];
  readonly node: string;
  readonly readerMbPerSec: number;
  /** The throttled full-size run. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly runs: readonly SlowConsumerRun[];
  /** Peak RSS of the throttled full-size run ÷ that of the throttled quarter-size run: 1 is flat. */
  readonly rssGrowth: number;
  /** The throttled full-size run has the same (stream, key) set as a concurrency-1 run. */
  readonly match: boolean;
}

/** `reference`: the big organization's concurrency-1 record set, when the caller already has it. */
export async function slowConsumerBench(reference?: RecordSet): Promise<SlowConsumerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  const runs: SlowConsumerRun[] = [];
  let match = false;
  try {
    for (const size of [QUARTER, BIG_ORG]) {
      const sim = await startSimulatorProcess({ seed: SEED, sizes: size });
      try {
        const full = size === BIG_ORG;
        const expected = full ? (reference ?? (await referenceRecordSet(sim, dir))) : undefined;
        // Unthrottled first: it also fills the simulator's response cache for the throttled run.
        for (const throttled of [false, true]) {
          const file = join(dir, 'slow.jsonl');
          const check = full && throttled;
          const run = await runTap(sim, {
            streams: STREAMS,
            config: CONFIG,
            consumer: { ...(throttled ? { bytesPerSec: BYTES_PER_SEC } : {}), ...(check ? { captureTo: file } : {}) },
          });
          if (check) {
            match = sameRecordSet(expected!, await readRecordSet(file));
            rmSync(file);
          }
          runs.push({
            size,
            throttled,
            records: run.output.records,
            bytes: run.output.bytes,
            wallMs: round(run.wallMs),
            mbPerSec: round(run.output.bytes / 2 ** 20 / (run.wallMs / 1000), 1),
            peakRssMb: run.peakRssMb,
          });
          process.stderr.write(`slow-consumer: ${size.workbooks} workbooks, ${throttled ? 'throttled' : 'unthrottled'}: peak RSS ${run.peakRssMb} MB\n`);
        }
      } finally {
        await sim.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const slowSmall = runs.find((r) => r.throttled && r.size === QUARTER)!;
  const slowBig = runs.find((r) => r.throttled && r.size === BIG_ORG)!;
  return {
    scenario: 'slow-consumer',
    seed: SEED,
    size: BIG_ORG,
    streams: STREAMS,
    node: process.version,
    readerMbPerSec: BYTES_PER_SEC / 2 ** 20,
    wallMs: slowBig.wallMs,
    recordsPerSec: round(slowBig.records / (slowBig.wallMs / 1000)),
    peakRssMb: slowBig.peakRssMb,
    runs,
    rssGrowth: round(slowBig.peakRssMb / slowSmall.peakRssMb, 2),
    match,
  };
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await slowConsumerBench()), machine: describeMachine() });
