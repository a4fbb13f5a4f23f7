/**
 * Big organizations: what each stream family costs in requests per parent, and how long 1,000
 * workbooks take at a few concurrency settings and latencies. The figures of README.md, "Big
 * organizations".
 *
 * 1. Families. The default organization (seed 1, 120 workbooks), latency 0: one full run (every stream),
 *    then one run per stream group of meltano-big-org.yml, the simulator's counters reset before each.
 *    Within one group every endpoint belongs to one stream (even `/v2/grants`, which four streams of
 *    four groups share), so each group's counters say what each family costs: a family is a top-level
 *    stream and its descendants, and its requests per parent are the requests to its child endpoints ÷
 *    the records of its top-level stream. The groups' counters must add up to the full run's, endpoint
 *    by endpoint, and their record sets to its record set: a split costs one token per process, nothing else.
 * 2. Wall time per 1,000 workbooks: the workbooks group at concurrency 4, 8, 16 and 32, on organizations
 *    sized so that each run takes seconds (200 workbooks at latency 0, 100 at 20 ms, 40 at 100 ms).
 *    Scaled by the tap's own `sync_duration` of the workbooks tree (from its first request until it and
 *    its children are written), which leaves out what a run costs whatever its size (Node start-up, the
 *    token): per 1,000 workbooks = sync_duration × 1,000 ÷ the workbooks extracted, which is what each
 *    further 1,000 workbooks of a big organization add. Set against the bound requests × latency ÷
 *    concurrency, scaled the same way.
 * 3. Over-asking: latency 20 ms, a server that answers 429 beyond 8 requests in flight (an organization's
 *    limit), the same extraction at concurrency 8 and 32.
 *
 * Run alone: `npm run build && node dist/bench/bigOrg.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes, SimulatorStats } from '../fixtures/index.js';
import type { StreamDefinition } from '../lib/streams/streamDefinition.js';
import { streams } from '../pipelines/index.js';
import { readBigOrgExample, streamsOf } from '../spec/support/bigOrgExample.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { type RecordSet, readRecordSet, recordsPerStream, sameRecordSet } from './support/recordSet.js';
import { runTap } from './support/runTap.js';
import { apiRequests, type SimulatorProcess, startSimulatorProcess } from './support/simulatorProcess.js';

export const SEED = 1;
export const CONCURRENCIES = [4, 8, 16, 32] as const;
/** Workbooks per latency: about 1,000 to 5,000 requests, a few seconds per run. */
export const GRID: readonly { readonly latencyMs: number; readonly workbooks: number }[] = [
  { latencyMs: 0, workbooks: 200 },
  { latencyMs: 20, workbooks: 100 },
  { latencyMs: 100, workbooks: 40 },
];
export const CAP = { latencyMs: 20, workbooks: 100, maxConcurrent: 8, concurrencies: [8, 32] } as const;
const WORKBOOKS_GROUP = 'tap-sigma--workbooks';

export interface FamilyCost {
  /** The top-level stream. */
  readonly family: string;
  /** The extractor of meltano-big-org.yml that selects it. */
  readonly group: string;
  readonly parents: number;
  /** Pages of the top-level listing. */
  readonly listingRequests: number;
  readonly childRequests: number;
  readonly requestsPerParent: number;
  /** Child stream → its requests per parent. */
  readonly perStream: Readonly<Record<string, number>>;
}

export interface GridRun {
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly workbooks: number;
  readonly records: number;
  readonly requests: number;
  /** From spawn to exit. */
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** The tap's `sync_duration` of the workbooks tree. */
  readonly syncMs: number;
  readonly msPer1000Workbooks: number;
  /** requests × latency ÷ concurrency per 1,000 workbooks: no client waiting on the network does better. */
  readonly boundMsPer1000Workbooks: number;
  readonly requestsPerSec: number;
  readonly peakInFlight: number;
  /** The server's cap on requests in flight (the over-asking runs), null for none. */
  readonly serverCap: number | null;
  /** 429s for going over that cap. */
  readonly throttled: number;
  /** Same (stream, key) set as the first run of its row. */
  readonly match: boolean;
}

export interface BigOrgResult {
  readonly scenario: 'bigOrg';
  readonly seed: number;
  readonly size: Partial<OrgSizes>;
  readonly node: string;
  /** The default run (latency 20 ms, concurrency 8), for the common fields. */
  readonly wallMs: number;
  readonly recordsPerSec: number;
  readonly peakRssMb: number;
  readonly families: readonly FamilyCost[];
  /** Full run: API requests, records; the groups' requests added up. */
  readonly fullRun: { readonly requests: number; readonly records: number; readonly groupRequests: number };
  /** Groups' per-endpoint counters add up to the full run's, and their records to its records. */
  readonly splitMatch: boolean;
  readonly grid: readonly GridRun[];
  readonly overAsking: readonly GridRun[];
  readonly match: boolean;
}

const byName = new Map(streams.map((s) => [s.name, s]));
const rootOf = (stream: StreamDefinition): StreamDefinition => (stream.parent ? rootOf(byName.get(stream.parent)!) : stream);

/** API requests per endpoint ("GET /v2/…"), whatever their status; the token endpoint left out. */
function requestsByEndpoint(stats: SimulatorStats): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [endpoint, byStatus] of Object.entries(stats.byEndpoint)) {
    if (endpoint.startsWith('POST ')) continue;
    counts.set(endpoint, Object.values(byStatus).reduce((a, b) => a + b, 0));
  }
  return counts;
}

/** The one stream of `group` behind an endpoint of the simulator's counters. */
function streamBehind(endpoint: string, group: readonly string[]): StreamDefinition {
  const matches = group.map((name) => byName.get(name)!).filter((s) => `GET ${s.path}` === endpoint);
  if (matches.length !== 1) throw new Error(`${endpoint}: ${matches.length} streams of the group read it`);
  return matches[0]!;
}

async function withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withSimulator<T>(options: Parameters<typeof startSimulatorProcess>[0], work: (sim: SimulatorProcess) => Promise<T>): Promise<T> {
  const sim = await startSimulatorProcess(options);
  try {
    return await work(sim);
  } finally {
    await sim.stop();
  }
}

async function familyCosts(dir: string): Promise<Pick<BigOrgResult, 'families' | 'fullRun' | 'splitMatch'>> {
  const example = readBigOrgExample();
  return withSimulator({ seed: SEED }, async (sim) => {
    const fullFile = join(dir, 'full.jsonl');
    await runTap(sim, { consumer: { captureTo: fullFile } });
    const full = requestsByEndpoint(await sim.stats());
    const fullSet = await readRecordSet(fullFile);
    const parents = recordsPerStream(fullSet);

    const summed = new Map<string, number>();
    const groupKeys = new Set<string>();
    const families = new Map<string, { group: string; listing: number; perStream: Map<string, number> }>();
    for (const group of example.groups) {
      await sim.resetStats();
      const file = join(dir, `${group.extractor}.jsonl`);
      await runTap(sim, { streams: group.streams, consumer: { captureTo: file } });
      for (const key of (await readRecordSet(file)).keys) groupKeys.add(key);
      for (const [endpoint, count] of requestsByEndpoint(await sim.stats())) {
        summed.set(endpoint, (summed.get(endpoint) ?? 0) + count);
        const stream = streamBehind(endpoint, group.streams);
        const root = rootOf(stream);
        const family = families.get(root.name) ?? { group: group.extractor, listing: 0, perStream: new Map<string, number>() };
        families.set(root.name, family);
        if (stream === root) family.listing += count;
        else family.perStream.set(stream.name, (family.perStream.get(stream.name) ?? 0) + count);
      }
    }
    const sameRequests = full.size === summed.size && [...full].every(([endpoint, count]) => summed.get(endpoint) === count);
    const sameRecords = sameRecordSet(fullSet, { keys: groupKeys, records: groupKeys.size, duplicates: 0 });
    return {
      families: [...families]
        .filter(([, f]) => f.perStream.size > 0)
        .map(([name, f]) => {
          const count = parents.get(name) ?? 0;
          const childRequests = [...f.perStream.values()].reduce((a, b) => a + b, 0);
          const perParent = (n: number): number => (count === 0 ? 0 : round(n / count, 2));
          return {
            family: name,
            group: f.group,
            parents: count,
            listingRequests: f.listing,
            childRequests,
            requestsPerParent: perParent(childRequests),
            perStream: Object.fromEntries([...f.perStream].sort(([a], [b]) => a.localeCompare(b)).map(([stream, n]) => [stream, perParent(n)])),
          };
        })
        .sort((a, b) => b.childRequests - a.childRequests),
      fullRun: { requests: [...full.values()].reduce((a, b) => a + b, 0), records: fullSet.records, groupRequests: [...summed.values()].reduce((a, b) => a + b, 0) },
      splitMatch: sameRequests && sameRecords,
    };
  });
}

/** The workbooks group at each concurrency against one simulator; the first run is the reference record set. */
async function workbookRuns(dir: string, cell: { latencyMs: number; workbooks: number; maxConcurrent?: number }, concurrencies: readonly number[]): Promise<GridRun[]> {
  const group = streamsOf(readBigOrgExample(), WORKBOOKS_GROUP);
  return withSimulator({ seed: SEED, sizes: { workbooks: cell.workbooks }, latencyMs: cell.latencyMs, ...(cell.maxConcurrent ? { maxConcurrent: cell.maxConcurrent } : {}) }, async (sim) => {
    const runs: GridRun[] = [];
    let reference: RecordSet | undefined;
    for (const concurrency of concurrencies) {
      await sim.resetStats();
      const file = join(dir, `wb-${cell.latencyMs}-${concurrency}.jsonl`);
      const run = await runTap(sim, { streams: group, config: { concurrency }, consumer: { captureTo: file } });
      const stats = await sim.stats();
      const records = await readRecordSet(file);
      rmSync(file);
      reference ??= records;
      const workbooks = recordsPerStream(records).get('workbooks') ?? 0;
      const requests = apiRequests(stats);
      const syncMs = syncDurationMs(run.metricLines, 'workbooks');
      runs.push({
        latencyMs: cell.latencyMs,
        concurrency,
        workbooks,
        records: records.records,
        requests,
        wallMs: round(run.wallMs),
        peakRssMb: run.peakRssMb,
        syncMs: round(syncMs),
        msPer1000Workbooks: round((syncMs * 1000) / workbooks),
        boundMsPer1000Workbooks: round((((requests * cell.latencyMs) / concurrency) * 1000) / workbooks),
        requestsPerSec: round(requests / (run.wallMs / 1000)),
        peakInFlight: stats.peakConcurrent,
        serverCap: cell.maxConcurrent ?? null,
        throttled: stats.faults['concurrency-cap'],
        match: sameRecordSet(reference, records),
      });
      process.stderr.write(`bigOrg: latency ${cell.latencyMs} ms, concurrency ${concurrency}${cell.maxConcurrent ? `, server cap ${cell.maxConcurrent}` : ''}: ${round(run.wallMs / 1000, 1)} s for ${workbooks} workbooks, ${requests} requests\n`);
    }
    return runs;
  });
}

/** The `sync_duration` a run logged for the tree of `stream`, in ms. */
function syncDurationMs(metricLines: readonly string[], stream: string): number {
  for (const line of metricLines) {
    const point = JSON.parse(line.slice(line.indexOf('METRIC: ') + 8)) as { metric: string; value: number; tags: { stream?: string; status?: string } };
    if (point.metric === 'sync_duration' && point.tags.stream === stream && point.tags.status === 'succeeded') return point.value * 1000;
  }
  throw new Error(`no sync_duration of ${stream} in the tap's metrics`);
}

export async function bigOrgBench(): Promise<BigOrgResult> {
  return withScratch(async (dir) => {
    const { families, fullRun, splitMatch } = await familyCosts(dir);
    process.stderr.write(`bigOrg: families measured; split adds up to the full run: ${splitMatch}\n`);
    const grid: GridRun[] = [];
    for (const cell of GRID) grid.push(...(await workbookRuns(dir, cell, CONCURRENCIES)));
    const overAsking = await workbookRuns(dir, CAP, CAP.concurrencies);
    const main = grid.find((r) => r.latencyMs === 20 && r.concurrency === 8)!;
    return {
      scenario: 'bigOrg',
      seed: SEED,
      size: { workbooks: GRID[1]!.workbooks },
      node: process.version,
      wallMs: main.wallMs,
      recordsPerSec: round(main.records / (main.wallMs / 1000)),
      peakRssMb: Math.max(...grid.map((r) => r.peakRssMb)),
      families,
      fullRun,
      splitMatch,
      grid,
      overAsking,
      match: splitMatch && [...grid, ...overAsking].every((r) => r.match),
    };
  });
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await bigOrgBench()), machine: describeMachine() });
