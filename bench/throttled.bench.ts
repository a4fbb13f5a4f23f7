/**
 * Throttled extraction: the simulator answers 429 at once (no Retry-After) to any request beyond 6 in
 * flight and delays every other answer by 20 ms, so no client can be answered faster than
 * 6 ÷ 20 ms = 300 requests/s. The tap runs at concurrency 32: its limiter has to find the cap from the
 * 429s and stay near it instead of collapsing. Once with no other fault, once with 10% of GETs faulted
 * (every kind: 429 with and without Retry-After, 5xx with JSON and HTML, resets, truncated bodies).
 *
 * 3,000 workbooks (admin listing, archived included) and three child streams of one request per
 * workbook: about 9,000 requests, so that Node's start-up and the token are a small part of the run.
 * Figures: requests the server answered per second (every attempt, 429s included, which is what the
 * cap bounds) and pages per second (answers with records: the useful part), both against 300/s; the
 * 429s; the server's requests in flight sampled every 50 ms (mean, and the share of samples at the
 * cap); and the record set of the faulted run against the fault-free one.
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
  readonly faultRate: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Every attempt the server answered (GETs; the token request left out). */
  readonly requests: number;
  /** Attempts answered 200: one per page fetched. */
  readonly pages: number;
  readonly requestsPerSec: number;
  readonly pagesPerSec: number;
  /** requestsPerSec ÷ BOUND_PER_SEC. */
  readonly ratioToBound: number;
  readonly pagesRatioToBound: number;
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

async function throttledRun(faultRate: number, file: string): Promise<{ run: ThrottledRun; records: RecordSet }> {
  const sim = await startSimulatorProcess({ seed: SEED, sizes: SIZE, latencyMs: LATENCY_MS, maxConcurrent: CAP, faultRate });
  try {
    // The organization is generated on the first request: a fault-free warm-up keeps that out of the run.
    await runTap(sim, { streams: ['workbooks'], config: { ...CONFIG, concurrency: 1 } });
    await sim.resetStats();
    const sampler = sampleInFlight(sim);
    const tap = await runTap(sim, { streams: STREAMS, config: CONFIG, consumer: { captureTo: file } });
    const samples = await sampler.stop();
    const stats = await sim.stats();
    const requests = apiRequests(stats);
    const pages = statusCount(stats, '200');
    const seconds = tap.wallMs / 1000;
    const injected = Object.entries(stats.faults).filter(([kind]) => kind !== 'concurrency-cap' && kind !== 'token-expiry');
    process.stderr.write(`throttled: fault rate ${faultRate}: ${round(seconds, 1)} s for ${requests} requests (${pages} pages)\n`);
    return {
      run: {
        faultRate,
        wallMs: round(tap.wallMs),
        cpuMs: round(tap.cpuMs),
        requests,
        pages,
        requestsPerSec: round(requests / seconds),
        pagesPerSec: round(pages / seconds),
        ratioToBound: round(requests / seconds / BOUND_PER_SEC, 2),
        pagesRatioToBound: round(pages / seconds / BOUND_PER_SEC, 2),
        capThrottles: stats.faults['concurrency-cap'],
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
    const runs: ThrottledRun[] = [];
    const sets: RecordSet[] = [];
    for (const faultRate of FAULT_RATES) {
      const { run, records } = await throttledRun(faultRate, join(dir, `faults-${faultRate}.jsonl`));
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
      match: sets.every((set) => sameRecordSet(sets[0]!, set)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await throttledBench()), machine: describeMachine() });
