/**
 * Full catalog, slow target: every stream (no catalog, the CLI's defaults with `skip_permission_check`
 * so every workbook is read) of an organization of 1,500 workbooks and of one of 6,000, stdout read at
 * 2 MB/s, the tap started as `node dist/lib/cli/bin.js` with no Node flags. With backpressure, bounded
 * fan-out and the heap heuristics the CLI sets for itself, peak RSS stays under 120 MB and flat
 * whatever the organization's size.
 *
 * Run alone: `npm run build && node dist/bench/full-catalog.bench.js`. Prints one JSON line (about
 * five minutes: the reader takes 2 MB/s of some 550 MB).
 */
import type { OrgSizes } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { runTap } from './support/runTap.js';
import { apiRequests, startSimulatorProcess } from './support/simulatorProcess.js';

const SEED = 1;
export const READER_BYTES_PER_SEC = 2 * 2 ** 20;
const SIZES: readonly Partial<OrgSizes>[] = [{ workbooks: 1_500 }, { workbooks: 6_000 }];

export interface FullCatalogRun {
  readonly workbooks: number;
  readonly records: number;
  readonly requests: number;
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

export interface FullCatalogResult {
  readonly scenario: 'full-catalog';
  readonly seed: number;
  readonly node: string;
  readonly readerMbPerSec: number;
  readonly runs: readonly FullCatalogRun[];
  /** Peak RSS at 6,000 workbooks ÷ at 1,500. */
  readonly rssGrowth: number;
}

export async function fullCatalogBench(): Promise<FullCatalogResult> {
  const runs: FullCatalogRun[] = [];
  for (const size of SIZES) {
    const sim = await startSimulatorProcess({ seed: SEED, sizes: size });
    try {
      const run = await runTap(sim, { config: { skip_permission_check: true }, consumer: { bytesPerSec: READER_BYTES_PER_SEC } });
      runs.push({
        workbooks: size.workbooks ?? 0,
        records: run.output.records,
        requests: apiRequests(await sim.stats()),
        bytes: run.output.bytes,
        wallMs: round(run.wallMs),
        cpuMs: round(run.cpuMs),
        peakRssMb: run.peakRssMb,
      });
    } finally {
      await sim.stop();
    }
  }
  const [small, big] = runs as [FullCatalogRun, FullCatalogRun];
  return { scenario: 'full-catalog', seed: SEED, node: describeMachine().node, readerMbPerSec: READER_BYTES_PER_SEC / 2 ** 20, runs, rssGrowth: round(big.peakRssMb / small.peakRssMb, 2) };
}

if (isEntryPoint(import.meta.url)) printResult(await fullCatalogBench());
