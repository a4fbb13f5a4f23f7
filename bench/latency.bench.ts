/**
 * Latency-bound extraction: 500 workbooks with their pages, page elements, elements, columns,
 * controls, queries, sources and version history (10 requests per workbook, ≈ 5,000 requests, the
 * size of the Meltano SDK reference run), every response delayed 20 ms by the simulator. The same
 * extraction runs at concurrency 1, 8 and 32; each wall time is set against its bound
 * `requests × latency ÷ concurrency`, and each run's (stream, key) set against the concurrency-1 run.
 *
 * Run alone: `npm run build && node dist/bench/latency.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, sameRecordSet } from './support/recordSet.js';
import { runTap } from './support/runTap.js';
import { apiRequests, startSimulatorProcess } from './support/simulatorProcess.js';

export const SEED = 1;
export const SIZE: Partial<OrgSizes> = { workbooks: 500 };
export const LATENCY_MS = 20;
export const CONCURRENCIES = [1, 8, 32] as const;
/** Ten requests per workbook: pages (1) and their elements (3), elements, columns, controls, queries, sources, version history. */
export const STREAMS = [
  'workbooks',
  'workbook_pages',
  'workbook_page_elements',
  'workbook_elements',
  'workbook_columns',
  'workbook_controls',
  'workbook_queries',
  'workbook_sources',
  'workbook_version_history',
] as const;
/** Admin listing of every workbook, archived ones and their children included: all 500 are extracted. */
export const CONFIG = { skip_permission_check: true, include_archived: true } as const;

export interface LatencyRun {
  readonly concurrency: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly requests: number;
  readonly requestsPerSec: number;
  /** requests × latency ÷ concurrency: no client can do better. */
  readonly boundMs: number;
  readonly ratioToBound: number;
  /** Most requests the simulator saw in flight at once. */
  readonly peakInFlight: number;
  readonly records: number;
  readonly bytes: number;
  readonly peakRssMb: number;
  /** Same (stream, key) set as the concurrency-1 run. */
  readonly match: boolean;
}

export interface LatencyResult {
  readonly scenario: 'latency';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly latencyMs: number;
  readonly streams: readonly string[];
  readonly node: string;
  /** The concurrency-8 run (the default), for the common fields. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly records: number;
  readonly requests: number;
  readonly bytes: number;
  readonly runs: readonly LatencyRun[];
  /** Wall time at concurrency 1 ÷ wall time at concurrency 8 (and 32). */
  readonly speedup8: number;
  readonly speedup32: number;
  readonly match: boolean;
}

export async function latencyBench(): Promise<LatencyResult> {
  const sim = await startSimulatorProcess({ seed: SEED, sizes: SIZE, latencyMs: LATENCY_MS });
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  try {
    const runs: LatencyRun[] = [];
    let reference: RecordSet | undefined;
    for (const concurrency of CONCURRENCIES) {
      const file = join(dir, `c${concurrency}.jsonl`);
      await sim.resetStats();
      const run = await runTap(sim, { streams: STREAMS, config: { ...CONFIG, concurrency }, consumer: { captureTo: file } });
      const stats = await sim.stats();
      const records = await readRecordSet(file);
      rmSync(file);
      reference ??= records;
      const requests = apiRequests(stats);
      const boundMs = (requests * LATENCY_MS) / concurrency;
      runs.push({
        concurrency,
        wallMs: round(run.wallMs),
        cpuMs: round(run.cpuMs),
        requests,
        requestsPerSec: round(requests / (run.wallMs / 1000)),
        boundMs: round(boundMs),
        ratioToBound: round(run.wallMs / boundMs, 2),
        peakInFlight: stats.peakConcurrent,
        records: run.output.records,
        bytes: run.output.bytes,
        peakRssMb: run.peakRssMb,
        match: sameRecordSet(reference, records),
      });
      process.stderr.write(`latency: concurrency ${concurrency}: ${round(run.wallMs / 1000, 1)} s for ${requests} requests\n`);
    }
    const at = (c: number): LatencyRun => runs.find((r) => r.concurrency === c)!;
    const main = at(8);
    return {
      scenario: 'latency',
      seed: SEED,
      size: SIZE,
      latencyMs: LATENCY_MS,
      streams: STREAMS,
      node: process.version,
      wallMs: main.wallMs,
      recordsPerSec: round(main.records / (main.wallMs / 1000)),
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      records: main.records,
      requests: main.requests,
      bytes: main.bytes,
      runs,
      speedup8: round(at(1).wallMs / at(8).wallMs, 1),
      speedup32: round(at(1).wallMs / at(32).wallMs, 1),
      match: runs.every((r) => r.match),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await latencyBench()), machine: describeMachine() });
