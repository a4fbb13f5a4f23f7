/**
 * Throttled extraction: the simulator answers 429 at once (no Retry-After) to any request beyond 6 in
 * flight and delays every other answer by 20 ms, so no client can be answered faster than
 * 6 ÷ 20 ms = 300 requests/s. The tap runs at concurrency 32: its limiter has to find the cap from the
 * 429s and stay near it instead of collapsing. Once with no other fault, once with 10% of GETs faulted
 * (every kind: 429 with and without Retry-After, 5xx with JSON and HTML, resets, truncated bodies).
 *
 * 3,000 workbooks (admin listing, archived included) and three child streams of one request per
 * workbook: about 9,000 requests, so that Node's start-up and the token are a small part of the run.
 * Figures, against 300/s: requests served per second (every attempt the server held for its 20 ms,
 * injected faults included, the cap's instant 429s left out: that is what the bound bounds) and useful
 * requests per second (the fault-free run's request count over each run's wall time: pages fetched,
 * as a user sees progress); the 429s; the server's requests in flight sampled every 50 ms (mean, and
 * the share of samples at the cap); and the record set of the faulted run against the fault-free one.
 *
 * A reference run in the same invocation gives what any limiter could reach on this machine at this
 * moment: no cap on the server and the tap at concurrency 6, that is a limit that knows the cap from
 * the start and never draws a 429. On a loaded machine the tap's own work per request (about 1 ms of
 * CPU) stretches every round trip, and the reference shows how much of the bound is left.
 *
 * Run alone: `npm run build && node dist/bench/throttled.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes, SimulatorStats } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, sameRecordSet } from './support/recordSet.js';
import { runTap } from './support/runTap.js';
import { type SimulatorProcess, apiRequests, startSimulatorProcess } from './support/simulatorProcess.js';

export const SEED = 1;
export const SIZE: Partial<OrgSizes> = { workbooks: 3000 };
export const STREAMS = ['workbooks', 'workbook_pages', 'workbook_sources', 'workbook_controls'] as const;
export const CONFIG = { skip_permission_check: true, include_archived: true, concurrency: 32 } as const;
export const CAP = 6;
export const LATENCY_MS = 20;
export const FAULT_RATES = [0, 0.1] as const;
/** The most requests per second any client can get answered: CAP requests every LATENCY_MS. */
export const BOUND_PER_SEC = (CAP * 1000) / LATENCY_MS;
const SAMPLE_EVERY_MS = 50;

export interface ThrottledRun {
  /** The server's cap (0 for the reference run, which has none). */
  readonly cap: number;
  readonly concurrency: number;
  readonly faultRate: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Every attempt the server answered (GETs; the token request left out). */
  readonly requests: number;
  /** Attempts the server held for their latency: all but the cap's instant 429s. */
  readonly served: number;
  readonly servedPerSec: number;
  /** servedPerSec ÷ BOUND_PER_SEC: the target's figure. */
  readonly ratioToBound: number;
  /** The fault-free run's requests (one per page) over this run's wall time. */
  readonly usefulPerSec: number;
  readonly usefulRatioToBound: number;
  /** 429s for requests beyond the cap. */
  readonly capThrottles: number;
  /** Every 429 (the cap's and the injected ones). */
  readonly throttles: number;
  /** Injected faults of every kind. */
  readonly faults: number;
  /** The server's requests in flight, sampled. */
  readonly meanInFlight: number;
  /** Share of samples with CAP or more requests in flight. */
  readonly atCapShare: number;
  readonly peakInFlight: number;
  readonly records: number;
  readonly peakRssMb: number;
}

export interface ThrottledResult {
  readonly scenario: 'throttled';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly streams: readonly string[];
  readonly node: string;
  readonly cap: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly boundPerSec: number;
  /** The fault-free run, for the common fields. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly runs: readonly ThrottledRun[];
  /** No cap, concurrency CAP, no faults: what a limiter that knew the cap would reach here and now. */
  readonly reference: ThrottledRun;
  /** Each run's servedPerSec ÷ the reference's, in the order of `runs`. */
  readonly ratiosToReference: readonly number[];
  /** The faulted run extracted the same (stream, key) set as the fault-free run, each once. */
  readonly match: boolean;
}

/** Samples the server's requests in flight until stopped; one stats call at a time. */
function sampleInFlight(sim: SimulatorProcess): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      samples.push((await sim.stats()).inFlight);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_EVERY_MS - (performance.now() - started))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

function statusCount(stats: SimulatorStats, status: string): number {
  let total = 0;
  for (const [endpoint, byStatus] of Object.entries(stats.byEndpoint)) if (endpoint.startsWith('GET ')) total += byStatus[status] ?? 0;
  return total;
}

interface Variant {
  readonly cap: number;
  readonly concurrency: number;
  readonly faultRate: number;
  /** The fault-free run's request count (one per page), for the useful rate; none for the runs that define it. */
  readonly useful?: number;
}

async function throttledRun(variant: Variant, file: string): Promise<{ run: ThrottledRun; records: RecordSet }> {
  const { cap, concurrency, faultRate, useful } = variant;
  const sim = await startSimulatorProcess({ seed: SEED, sizes: SIZE, latencyMs: LATENCY_MS, maxConcurrent: cap, faultRate });
  try {
    // The organization is generated on the first request: a fault-free warm-up keeps that out of the run.
    await runTap(sim, { streams: ['workbooks'], config: { ...CONFIG, concurrency: 1 } });
    await sim.resetStats();
    const sampler = sampleInFlight(sim);
    const tap = await runTap(sim, { streams: STREAMS, config: { ...CONFIG, concurrency }, consumer: { captureTo: file } });
    const samples = await sampler.stop();
    const stats = await sim.stats();
    const requests = apiRequests(stats);
    const capThrottles = stats.faults['concurrency-cap'];
    const served = requests - capThrottles;
    const pages = useful ?? served;
    const seconds = tap.wallMs / 1000;
    const injected = Object.entries(stats.faults).filter(([kind]) => kind !== 'concurrency-cap' && kind !== 'token-expiry');
    process.stderr.write(`throttled: cap ${cap || 'none'}, concurrency ${concurrency}, fault rate ${faultRate}: ${round(seconds, 1)} s for ${requests} requests (${capThrottles} 429s of the cap)\n`);
    return {
      run: {
        cap,
        concurrency,
        faultRate,
        wallMs: round(tap.wallMs),
        cpuMs: round(tap.cpuMs),
        requests,
        served,
        servedPerSec: round(served / seconds),
        ratioToBound: round(served / seconds / BOUND_PER_SEC, 2),
        usefulPerSec: round(pages / seconds),
        usefulRatioToBound: round(pages / seconds / BOUND_PER_SEC, 2),
        capThrottles,
        throttles: statusCount(stats, '429'),
        faults: injected.reduce((sum, [, count]) => sum + count, 0),
        meanInFlight: round(samples.reduce((sum, n) => sum + n, 0) / Math.max(1, samples.length), 2),
        atCapShare: round(samples.filter((n) => n >= CAP).length / Math.max(1, samples.length), 2),
        peakInFlight: stats.peakConcurrent,
        records: tap.output.records,
        peakRssMb: tap.peakRssMb,
      },
      records: await readRecordSet(file),
    };
  } finally {
    await sim.stop();
  }
}

export async function throttledBench(): Promise<ThrottledResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  try {
    const { run: reference } = await throttledRun({ cap: 0, concurrency: CAP, faultRate: 0 }, join(dir, 'reference.jsonl'));
    const runs: ThrottledRun[] = [];
    const sets: RecordSet[] = [];
    for (const faultRate of FAULT_RATES) {
      const variant = { cap: CAP, concurrency: CONFIG.concurrency, faultRate, ...(runs[0] ? { useful: runs[0].served } : {}) };
      const { run, records } = await throttledRun(variant, join(dir, `faults-${faultRate}.jsonl`));
      runs.push(run);
      sets.push(records);
    }
    const clean = runs[0]!;
    return {
      scenario: 'throttled',
      seed: SEED,
      size: SIZE,
      streams: STREAMS,
      node: process.version,
      cap: CAP,
      latencyMs: LATENCY_MS,
      concurrency: CONFIG.concurrency,
      boundPerSec: BOUND_PER_SEC,
      wallMs: clean.wallMs,
      recordsPerSec: round(clean.records / (clean.wallMs / 1000)),
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
      runs,
      reference,
      ratiosToReference: runs.map((run) => round(run.servedPerSec / reference.servedPerSec, 2)),
      match: sets.every((set) => sameRecordSet(sets[0]!, set)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await throttledBench()), machine: describeMachine() });
