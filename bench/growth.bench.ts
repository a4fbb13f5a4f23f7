/**
 * Growth: a full extraction (every stream, the CLI's defaults, no catalog) of an organization and of
 * one four times its size (×4 workbooks and all their children), latency 0. Output bytes and wall
 * time must grow in proportion to the records and requests: bytes per record constant, in particular
 * no STATE that grows with the number of parents (the Meltano SDK's is quadratic, 487 MB for 500
 * workbooks). The longest STATE line is reported at both sizes.
 *
 * This is also the latency-0 scenario with the full catalog on which the CPU per request is measured
 * (user + system of the tap process, all threads, from /proc, divided by the requests the simulator
 * answered; Node's start-up and the compilation of every stream's validator included): each size runs
 * REPEATS times against one simulator, and wall and CPU are the medians.
 *
 * Run alone: `npm run build && node dist/bench/growth.bench.js`. Prints one JSON line.
 */
import type { OrgSizes } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, median, printResult, round } from './support/machine.js';
import { runTap } from './support/runTap.js';
import { apiRequests, startSimulatorProcess } from './support/simulatorProcess.js';

export const SEED = 1;
export const SIZES: readonly Partial<OrgSizes>[] = [{ workbooks: 200 }, { workbooks: 800 }];
const REPEATS = 3;

export interface GrowthRun {
  readonly size: Partial<OrgSizes>;
  readonly records: number;
  readonly requests: number;
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Median of the runs' CPU ÷ requests, in ms. */
  readonly cpuPerRequestMs: number;
  readonly bytesPerRecord: number;
  readonly states: number;
  readonly stateBytes: number;
  readonly maxStateBytes: number;
  readonly peakRssMb: number;
}

export interface GrowthResult {
  readonly scenario: 'growth';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly node: string;
  /** The ×4 run, for the common fields. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly runs: readonly GrowthRun[];
  /** ×4 ÷ ×1 of each figure. */
  readonly growth: { readonly records: number; readonly requests: number; readonly bytes: number; readonly wallMs: number; readonly bytesPerRecord: number; readonly maxStateBytes: number };
}

export async function growthBench(): Promise<GrowthResult> {
  const runs: GrowthRun[] = [];
  for (const size of SIZES) {
    const sim = await startSimulatorProcess({ seed: SEED, sizes: size });
    try {
      const measured = [];
      for (let i = 0; i < REPEATS; i += 1) {
        await sim.resetStats();
        const run = await runTap(sim);
        measured.push({ run, requests: apiRequests(await sim.stats()) });
      }
      const { run, requests } = measured[0]!;
      const { records, bytes, states, stateBytes, maxStateBytes } = run.output;
      runs.push({
        size,
        records,
        requests,
        bytes,
        wallMs: round(median(measured.map((m) => m.run.wallMs))),
        cpuMs: round(median(measured.map((m) => m.run.cpuMs))),
        cpuPerRequestMs: round(median(measured.map((m) => m.run.cpuMs / m.requests)), 2),
        bytesPerRecord: round(bytes / records, 1),
        states,
        stateBytes,
        maxStateBytes,
        peakRssMb: run.peakRssMb,
      });
      process.stderr.write(`growth: ${size.workbooks} workbooks: ${records} records in ${round(run.wallMs / 1000, 1)} s\n`);
    } finally {
      await sim.stop();
    }
  }
  const [small, big] = runs as [GrowthRun, GrowthRun];
  const ratio = (key: keyof GrowthRun): number => round((big[key] as number) / (small[key] as number), 2);
  return {
    scenario: 'growth',
    seed: SEED,
    size: big.size,
    node: process.version,
    wallMs: big.wallMs,
    recordsPerSec: round(big.records / (big.wallMs / 1000)),
    peakRssMb: Math.max(small.peakRssMb, big.peakRssMb),
    runs,
    growth: {
      records: ratio('records'),
      requests: ratio('requests'),
      bytes: ratio('bytes'),
      wallMs: ratio('wallMs'),
      bytesPerRecord: ratio('bytesPerRecord'),
      maxStateBytes: ratio('maxStateBytes'),
    },
  };
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await growthBench()), machine: describeMachine() });
