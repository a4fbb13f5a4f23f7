/**
 * CPU-bound throughput: latency 0, an organization of over 200,000 records, stdout read as fast as
 * the pipe delivers. The tap's records/s and MB/s are set against a floor measured in the same run
 * (bench/support/floor.ts: the same pages fetched over plain node:http and written as
 * `JSON.stringify` lines), so the tap's overhead is a ratio rather than a figure that depends on the
 * machine. Both run as child processes, alternately, several times; the medians are compared.
 *
 * Before the timed runs, a run at concurrency 1 gives the reference record set and a run at the
 * default concurrency is checked against it; both also warm the simulator's response cache, so the
 * timed runs measure the tap, not the simulator's generator.
 *
 * Run alone: `npm run build && node dist/bench/throughput.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrgSizes } from '../fixtures/index.js';
import { SETTINGS } from '../lib/config/settings.js';
import type { FloorPlan } from './support/floor.js';
import { describeMachine, isEntryPoint, median, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, sameRecordSet } from './support/recordSet.js';
import { assertSucceeded, runNode } from './support/runProcess.js';
import { runTap } from './support/runTap.js';
import { apiRequests, startSimulatorProcess, type SimulatorProcess } from './support/simulatorProcess.js';

export const SEED = 1;
/** ≈ 240,000 records: 500 workbooks × 50 elements × 10 columns, plus the elements and the workbooks. */
export const BIG_ORG: Partial<OrgSizes> = { workbooks: 500, pagesPerWorkbook: 5, elementsPerPage: 10, columnsPerElement: 10 };
export const STREAMS = ['workbooks', 'workbook_elements', 'workbook_columns'] as const;
export const CONFIG = { skip_permission_check: true, concurrency: 8 } as const;
const REPEATS = 5;
const FLOOR = fileURLToPath(new URL('./support/floor.js', import.meta.url));

export interface ThroughputResult {
  readonly scenario: 'throughput';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly streams: readonly string[];
  readonly node: string;
  readonly concurrency: number;
  readonly records: number;
  readonly bytes: number;
  readonly requests: number;
  /** Medians of the timed runs. */
  readonly wallMs: number;
  /** CPU time of the tap process, all threads (GC helpers included). */
  readonly cpuMs: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly peakRssMb: number;
  readonly floor: {
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly recordsPerSec: number;
    readonly mbPerSec: number;
    readonly records: number;
    readonly requests: number;
    readonly peakRssMb: number;
  };
  /** Tap records/s ÷ floor records/s. */
  readonly ratioToFloor: number;
  /** The concurrency-8 run has the same (stream, key) set as the concurrency-1 run. */
  readonly match: boolean;
  /** The floor fetched as many pages and wrote as many records as the tap. */
  readonly floorSameWork: boolean;
  readonly runs: { readonly tapMs: readonly number[]; readonly floorMs: readonly number[] };
}

/** The floor's crawl of the same pages the tap asks for with STREAMS and CONFIG. */
export function floorPlan(sim: SimulatorProcess, concurrency: number): FloorPlan {
  return {
    url: sim.url,
    clientId: sim.admin.clientId,
    clientSecret: sim.admin.clientSecret,
    concurrency,
    // The tap's default, which CONFIG leaves as it is.
    pageSize: SETTINGS.find((setting) => setting.name === 'page_size')!.default as number,
    root: { stream: 'workbooks', path: '/v2/workbooks', params: { skipPermissionCheck: 'true' }, idField: 'workbookId' },
    children: [
      { stream: 'workbook_elements', path: '/v2/workbooks/{id}/elements' },
      { stream: 'workbook_columns', path: '/v2/workbooks/{id}/columns' },
    ],
  };
}

/** The big organization's reference record set: a concurrency-1 run, captured. */
export async function referenceRecordSet(sim: SimulatorProcess, dir: string): Promise<RecordSet> {
  const file = join(dir, 'c1.jsonl');
  await runTap(sim, { streams: STREAMS, config: { ...CONFIG, concurrency: 1 }, consumer: { captureTo: file } });
  return readRecordSet(file);
}

export async function throughputBench(): Promise<ThroughputResult & { reference: RecordSet }> {
  const sim = await startSimulatorProcess({ seed: SEED, sizes: BIG_ORG });
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  try {
    const reference = await referenceRecordSet(sim, dir);
    const fastFile = join(dir, 'c8.jsonl');
    await runTap(sim, { streams: STREAMS, config: CONFIG, consumer: { captureTo: fastFile } });
    const match = sameRecordSet(reference, await readRecordSet(fastFile));
    rmSync(fastFile);

    const plan = JSON.stringify(floorPlan(sim, CONFIG.concurrency));
    await runNode([FLOOR, plan]); // warms the simulator's cache for the floor's URLs
    const taps = [];
    const floors = [];
    let tapRequests = 0;
    let floorRequests = 0;
    process.stderr.write(`throughput: ${reference.records} records; timing the floor and the tap, alternately, ${REPEATS} times each\n`);
    for (let i = 0; i < REPEATS; i += 1) {
      await sim.resetStats();
      floors.push(assertSucceeded('the floor', await runNode([FLOOR, plan])));
      floorRequests = apiRequests(await sim.stats());
      await sim.resetStats();
      taps.push(await runTap(sim, { streams: STREAMS, config: CONFIG }));
      tapRequests = apiRequests(await sim.stats());
    }
    const tapMs = median(taps.map((r) => r.wallMs));
    const floorMs = median(floors.map((r) => r.wallMs));
    const { records, bytes } = taps[0]!.output;
    const floorOutput = floors[0]!.output;
    const recordsPerSec = records / (tapMs / 1000);
    const floorRecordsPerSec = floorOutput.records / (floorMs / 1000);
    return {
      scenario: 'throughput',
      seed: SEED,
      size: BIG_ORG,
      streams: STREAMS,
      node: process.version,
      concurrency: CONFIG.concurrency,
      records,
      bytes,
      requests: tapRequests,
      wallMs: round(tapMs),
      cpuMs: round(median(taps.map((r) => r.cpuMs))),
      recordsPerSec: round(recordsPerSec),
      mbPerSec: round(bytes / 2 ** 20 / (tapMs / 1000), 1),
      peakRssMb: Math.max(...taps.map((r) => r.peakRssMb)),
      floor: {
        wallMs: round(floorMs),
        cpuMs: round(median(floors.map((r) => r.cpuMs))),
        recordsPerSec: round(floorRecordsPerSec),
        mbPerSec: round(floorOutput.bytes / 2 ** 20 / (floorMs / 1000), 1),
        records: floorOutput.records,
        requests: floorRequests,
        peakRssMb: Math.max(...floors.map((r) => r.peakRssMb)),
      },
      ratioToFloor: round(recordsPerSec / floorRecordsPerSec, 2),
      match,
      floorSameWork: floorOutput.records === records && floorRequests === tapRequests,
      runs: { tapMs: taps.map((r) => round(r.wallMs)), floorMs: floors.map((r) => round(r.wallMs)) },
      reference,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

if (isEntryPoint(import.meta.url)) {
  const { reference: _reference, ...result } = await throughputBench();
  printResult({ ...result, machine: describeMachine() });
}
