/**
 * Incremental: what a second run from the first run's STATE costs. The built-in organization (seed 1,
 * default sizes, every stream, the CLI's defaults) is extracted in full, then again from the final
 * STATE with nothing changed, and once more against revision 1 of the same organization (new versions
 * of some documents, schedules, grants, tags, favourites…). Children that follow their parent are read
 * only for parents changed since the bookmark, so the second run asks a fraction of the first's
 * requests; the figures say which fraction and how many records each run emits.
 *
 * The unchanged run cannot go below the children read for every parent (grants, schedules, bookmarks,
 * member views…): Sigma has no bulk or changed-since list for them, one request per parent each run.
 * `everyRunFloor` is what they cost, as a share of the full run. A fourth run sets `child_refresh` so
 * bookmarks, embeds and materialization schedules follow their parent, as a user who accepts missing
 * their changes on unchanged parents until a run without state would. Last, the same organization with
 * workbooks of 5 pages of 10 elements (what the README's cost table takes for a real one) is extracted
 * in full and again unchanged: the floor is per parent, so its share falls as workbooks grow.
 *
 * Run alone: `npm run build && node dist/bench/incremental.bench.js`. Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgSizes, SimulatorStats } from '../fixtures/index.js';
import { streams } from '../pipelines/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { runTap } from './support/runTap.js';
import { apiRequests, countRequests, startSimulatorProcess } from './support/simulatorProcess.js';

const SEED = 1;

/** Workbooks the size of the README's estimate for a real organization: 5 pages of 10 elements. */
export const BIG_WORKBOOKS: Partial<OrgSizes> = { pagesPerWorkbook: 5, elementsPerPage: 10 };

/** The every-run children the child_refresh run lets follow their parent. */
export const TRUSTED_CHILDREN = ['workbook_bookmarks', 'workbook_embeds', 'workbook_materialization_schedules', 'data_model_materialization_schedules'] as const;

export interface IncrementalRun {
  readonly run: 'full' | 'unchanged' | 'revision 1' | 'unchanged, child_refresh' | 'full, big workbooks' | 'unchanged, big workbooks';
  readonly requests: number;
  readonly records: number;
  readonly wallMs: number;
}

export interface IncrementalResult {
  readonly scenario: 'incremental';
  readonly seed: number;
  readonly node: string;
  readonly runs: readonly IncrementalRun[];
  /** Requests of the unchanged second run ÷ the full run's. */
  readonly unchangedRatio: number;
  /** Requests the unchanged run spent on children read for every parent, ÷ the full run's requests. */
  readonly everyRunFloor: number;
  /** The unchanged run with TRUSTED_CHILDREN following their parent, ÷ the full run's requests. */
  readonly trustingRatio: number;
  readonly revisionRatio: number;
  /** The unchanged run ÷ the full run, with BIG_WORKBOOKS. */
  readonly bigWorkbooksRatio: number;
}

/** The last STATE line's value of a captured output. */
function lastState(file: string): Record<string, unknown> {
  const line = readFileSync(file, 'utf8').trim().split('\n').reverse().find((l) => l.startsWith('{"type":"STATE"'));
  if (!line) throw new Error('the run wrote no STATE');
  return (JSON.parse(line) as { value: Record<string, unknown> }).value;
}

export async function incrementalBench(): Promise<IncrementalResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-incremental-'));
  const runs: IncrementalRun[] = [];
  let everyRun = 0;
  try {
    const base = await startSimulatorProcess({ seed: SEED });
    let state: Record<string, unknown>;
    try {
      const capture = join(dir, 'full.jsonl');
      const full = await runTap(base, { consumer: { captureTo: capture } });
      runs.push({ run: 'full', requests: apiRequests(await base.stats()), records: full.output.records, wallMs: round(full.wallMs) });
      state = lastState(capture);
      await base.resetStats();
      const unchanged = await runTap(base, { state });
      const unchangedStats = await base.stats();
      runs.push({ run: 'unchanged', requests: apiRequests(unchangedStats), records: unchanged.output.records, wallMs: round(unchanged.wallMs) });
      everyRun = everyRunRequests(unchangedStats);
      await base.resetStats();
      const trusting = await runTap(base, { state, config: { child_refresh: Object.fromEntries(TRUSTED_CHILDREN.map((name) => [name, 'with-parent'])) } });
      runs.push({ run: 'unchanged, child_refresh', requests: apiRequests(await base.stats()), records: trusting.output.records, wallMs: round(trusting.wallMs) });
    } finally {
      await base.stop();
    }
    const revised = await startSimulatorProcess({ seed: SEED, revision: 1 });
    try {
      const run = await runTap(revised, { state });
      runs.push({ run: 'revision 1', requests: apiRequests(await revised.stats()), records: run.output.records, wallMs: round(run.wallMs) });
    } finally {
      await revised.stop();
    }
    const big = await startSimulatorProcess({ seed: SEED, sizes: BIG_WORKBOOKS });
    try {
      const capture = join(dir, 'big.jsonl');
      const full = await runTap(big, { consumer: { captureTo: capture } });
      runs.push({ run: 'full, big workbooks', requests: apiRequests(await big.stats()), records: full.output.records, wallMs: round(full.wallMs) });
      await big.resetStats();
      const unchanged = await runTap(big, { state: lastState(capture) });
      runs.push({ run: 'unchanged, big workbooks', requests: apiRequests(await big.stats()), records: unchanged.output.records, wallMs: round(unchanged.wallMs) });
    } finally {
      await big.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [full, unchanged, trusting, revision, bigFull, bigUnchanged] = runs as [IncrementalRun, IncrementalRun, IncrementalRun, IncrementalRun, IncrementalRun, IncrementalRun];
  return {
    scenario: 'incremental',
    seed: SEED,
    node: describeMachine().node,
    runs,
    unchangedRatio: round(unchanged.requests / full.requests, 3),
    everyRunFloor: round(everyRun / full.requests, 3),
    trustingRatio: round(trusting.requests / full.requests, 3),
    revisionRatio: round(revision.requests / full.requests, 3),
    bigWorkbooksRatio: round(bigUnchanged.requests / bigFull.requests, 3),
  };
}

/** Requests to the endpoints of child streams read for every parent (the grants endpoint serves several). */
function everyRunRequests(stats: SimulatorStats): number {
  const endpoints = new Set(streams.filter((s) => s.parent !== undefined && s.refresh?.rule === 'every-run').map((s) => `GET ${s.path}`));
  return countRequests(stats, (endpoint) => endpoints.has(endpoint));
}

if (isEntryPoint(import.meta.url)) printResult(await incrementalBench());
