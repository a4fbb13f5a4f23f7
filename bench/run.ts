/**
 * `npm run bench`: every scenario in one invocation, on one machine, then one table.
 *
 * Runs the simulator's own throughput (bench/simulator.bench.ts, in a child process), then the
 * latency-bound, CPU-bound, slow-consumer, growth, full-catalog, incremental, big-organization,
 * element-export and throttled scenarios. The tap always runs as a child
 * process (`node dist/lib/cli/bin.js`) with stdout piped to a reader in this process, against a
 * simulator in another child process. Progress goes to stderr; stdout gets the table (Markdown);
 * the full results go to bench/results/latest.json (or `--out FILE`) so runs can be compared.
 * Exits 1 when a run's record set differs from its reference run's, or the exported rows from the
 * generator's (a correctness failure);
 * a missed speed or memory target is reported in the table, not as a failure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ExportsResult, exportsBench } from './exports.bench.js';
import { type FullCatalogResult, fullCatalogBench } from './full-catalog.bench.js';
import { type BigOrgResult, bigOrgBench } from './bigOrg.bench.js';
import { type GrowthResult, growthBench } from './growth.bench.js';
import { type IncrementalResult, TRUSTED_CHILDREN, incrementalBench } from './incremental.bench.js';
import { type LatencyResult, latencyBench } from './latency.bench.js';
import { describeMachine, round } from './support/machine.js';
import { type SlowConsumerResult, slowConsumerBench } from './slow-consumer.bench.js';
import { type ThrottledResult, throttledBench } from './throttled.bench.js';
import { type ThroughputResult, throughputBench } from './throughput.bench.js';

interface SimulatorResult {
  readonly scenario: 'simulator';
  readonly requests: number;
  readonly wallMs: number;
  readonly requestsPerSec: number;
  readonly peakRssMb: number;
}

/** One row of the table: a figure, and the target it is held to when the issue sets one. */
interface Check {
  readonly scenario: string;
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** Undefined for context rows without a target. */
  readonly met: boolean | undefined;
}

const SIMULATOR_BENCH = fileURLToPath(new URL('./simulator.bench.js', import.meta.url));
const DEFAULT_OUT = resolve(fileURLToPath(new URL('../../bench/results/latest.json', import.meta.url)));

const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const s = (ms: number): string => `${round(ms / 1000, 1)} s`;
const mb = (bytes: number): string => `${round(bytes / 2 ** 20, 1)} MB`;

async function simulatorBench(): Promise<SimulatorResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [SIMULATOR_BENCH]);
  return JSON.parse(stdout.split('\n')[0]!) as SimulatorResult;
}

interface Results {
  readonly sim: SimulatorResult;
  readonly latency: LatencyResult;
  readonly throughput: ThroughputResult;
  readonly slow: SlowConsumerResult;
  readonly growth: GrowthResult;
  readonly fullCatalog: FullCatalogResult;
  readonly incremental: IncrementalResult;
  readonly bigOrg: BigOrgResult;
  readonly exported: ExportsResult;
  readonly throttled: ThrottledResult;
}

function checks({ sim, latency, throughput, slow, growth, fullCatalog, incremental, bigOrg, exported, throttled }: Results): Check[] {
  const rows: Check[] = [];
  const row = (scenario: string, figure: string, value: string, target = '', met?: boolean): void => void rows.push({ scenario, figure, value, target, met });
  row('simulator', `requests/s serving ${n(sim.requests)} distinct GETs to 32 clients`, n(sim.requestsPerSec));
  for (const run of latency.runs) {
    const target = run.concurrency === 8 ? '≤ 1.5× bound' : '';
    row('latency', `c=${run.concurrency}: wall vs bound ${n(run.requests)} req × ${latency.latencyMs} ms ÷ ${run.concurrency}`, `${s(run.wallMs)} vs ${s(run.boundMs)} = ${run.ratioToBound}×; ${n(run.requestsPerSec)} req/s; ${run.peakInFlight} in flight`, target, run.concurrency === 8 ? run.ratioToBound <= 1.5 : undefined);
  }
  row('latency', 'speed-up over c=1', `c=8: ${latency.speedup8}×, c=32: ${latency.speedup32}×`, 'c=8 ≥ 6×', latency.speedup8 >= 6);
  row('latency', 'vs the Meltano SDK tap (issue 7: sequential, 5,020 requests, 107.7 s, 487 MB)', `${round(107_700 / latency.wallMs, 1)}× faster at c=8; output ${round(487 * 2 ** 20 / latency.bytes)}× smaller`);
  row('latency', 'records, output (c=8); record set of c=8, c=32 = c=1', `${n(latency.records)} records, ${mb(latency.bytes)}; match ${latency.match}`, 'match', latency.match);
  row('throughput', `tap, latency 0, ${n(throughput.records)} records, ${n(throughput.requests)} requests`, `${n(throughput.recordsPerSec)} records/s, ${throughput.mbPerSec} MB/s (${s(throughput.wallMs)}, CPU ${s(throughput.cpuMs)})`, '≥ 150,000 records/s', throughput.recordsPerSec >= 150_000);
  row('throughput', 'vs the Meltano SDK (issue 7: about 21,500 records/s)', `${round(throughput.recordsPerSec / 21_500, 1)}×`);
  row('throughput', 'floor: same pages, JSON.stringify lines', `${n(throughput.floor.recordsPerSec)} records/s, ${throughput.floor.mbPerSec} MB/s (${s(throughput.floor.wallMs)}, CPU ${s(throughput.floor.cpuMs)})`);
  row('throughput', 'tap ÷ floor (records/s)', `${throughput.ratioToFloor}`, '≥ 0.5', throughput.ratioToFloor >= 0.5);
  row('throughput', 'record set of c=8 = c=1; floor did the same pages', `match ${throughput.match}; ${throughput.floorSameWork}`, 'match', throughput.match);
  row('throughput', 'CPU per record (user + system), tap and floor', `${round((throughput.cpuMs * 1000) / throughput.records, 1)} µs, floor ${round((throughput.floor.cpuMs * 1000) / throughput.floor.records, 1)} µs`);
  row('slow-consumer', 'peak RSS, reader unthrottled (the throughput runs)', `${throughput.peakRssMb} MB`);
  for (const [i, run] of slow.runs.entries()) {
    row('slow-consumer', `×${i === 0 ? 1 : 4}: ${n(run.records)} records, reader throttled to ${slow.readerMbPerSec} MB/s`, `peak RSS ${run.peakRssMb} MB; live heap ${run.liveHeapMb} MB, stdout buffer ≤ ${run.maxStdoutBufferMb} MB (${run.mbPerSec} MB/s read, ${s(run.wallMs)})`, '< 150 MB', run.peakRssMb < 150);
  }
  row('slow-consumer', '×4 ÷ ×1: peak RSS, live heap; record set of ×1 = c=1', `${slow.rssGrowth}, ${slow.liveHeapGrowth}; match ${slow.match}`, 'flat; match', slow.rssGrowth <= 1.1 && slow.match);
  for (const run of growth.runs) {
    row('growth', `every stream, ${run.size.workbooks} workbooks: ${n(run.records)} records, ${n(run.requests)} requests`, `${mb(run.bytes)}, ${run.bytesPerRecord} B/record, ${s(run.wallMs)}; longest STATE ${n(run.maxStateBytes)} B`);
  }
  for (const [i, run] of growth.runs.entries()) {
    const big = i === growth.runs.length - 1;
    row('growth', `CPU per request (user + system, start-up included, median of 3), every stream, latency 0, ${run.size.workbooks} workbooks`, `${run.cpuPerRequestMs} ms (CPU ${s(run.cpuMs)} for ${n(run.requests)} requests, ${n(run.records)} records)`, big ? '< 1.2 ms' : '', big ? run.cpuPerRequestMs < 1.2 : undefined);
  }
  row('growth', '×4 ÷ ×1: records, requests, bytes, wall time', `${growth.growth.records}, ${growth.growth.requests}, ${growth.growth.bytes}, ${growth.growth.wallMs}`);
  row('growth', '×4 ÷ ×1: bytes per record, longest STATE', `${growth.growth.bytesPerRecord}, ${growth.growth.maxStateBytes}`, '1 ± 0.1', Math.abs(growth.growth.bytesPerRecord - 1) <= 0.1 && growth.growth.maxStateBytes <= 1.1);
  for (const run of fullCatalog.runs) {
    row('full-catalog', `every stream, ${n(run.workbooks)} workbooks, reader at ${fullCatalog.readerMbPerSec} MB/s, \`node dist/lib/cli/bin.js\``, `peak RSS ${run.peakRssMb} MB; ${n(run.records)} records, ${n(run.requests)} requests, ${mb(run.bytes)} in ${s(run.wallMs)} (CPU ${s(run.cpuMs)})`, '< 120 MB', run.peakRssMb < 120);
  }
  row('full-catalog', '6,000 ÷ 1,500 workbooks: peak RSS', `${fullCatalog.rssGrowth}`, '≤ 1.1', fullCatalog.rssGrowth <= 1.1);
  for (const run of incremental.runs) row('incremental', `${run.run} run (seed 1)`, `${n(run.requests)} requests, ${n(run.records)} records, ${s(run.wallMs)}`);
  row('incremental', 'second run, nothing changed ÷ first run: requests', `${incremental.unchangedRatio}`, '≤ 0.25', incremental.unchangedRatio <= 0.25);
  row('incremental', 'of which children read for every parent (no bulk or changed-since list in Sigma) ÷ first run', `${incremental.everyRunFloor}`);
  row('incremental', `the same with child_refresh making ${TRUSTED_CHILDREN.length} of them follow their parent (bookmarks, embeds, materialization schedules) ÷ first run`, `${incremental.trustingRatio}`, '≤ 0.25', incremental.trustingRatio <= 0.25);
  row('incremental', 'second run at revision 1 ÷ first run: requests', `${incremental.revisionRatio}`);
  row('incremental', 'second run, nothing changed ÷ first run, workbooks of 5 pages × 10 elements', `${incremental.bigWorkbooksRatio}`);
  for (const family of bigOrg.families.filter((f) => f.requestsPerParent >= 1)) {
    row('big org', `${family.family} (${family.group}): requests per parent; parents: ${n(family.parents)}`, `${family.requestsPerParent}`);
  }
  row('big org', `split into the groups of meltano-big-org.yml: requests, records = one full run's (${n(bigOrg.fullRun.requests)}, ${n(bigOrg.fullRun.records)})`, `${n(bigOrg.fullRun.groupRequests)} requests; match ${bigOrg.splitMatch}`, 'match', bigOrg.splitMatch);
  for (const run of [...bigOrg.grid, ...bigOrg.overAsking]) {
    const cap = run.serverCap === null ? '' : `, server cap ${run.serverCap}: ${n(run.throttled)} × 429`;
    row('big org', `workbooks group, latency ${run.latencyMs} ms, c=${run.concurrency}${cap}`, `${s(run.msPer1000Workbooks)} per 1,000 workbooks, bound ${s(run.boundMsPer1000Workbooks)} (${n(run.workbooks)} in ${s(run.syncMs)} of ${s(run.wallMs)}, ${n(run.requestsPerSec)} req/s)`);
  }
  row('exports', `${n(exported.rows)} rows of one element, ${exported.exports} chunks of ${n(exported.rowLimit)}: rows/s, MB/s`, `${n(exported.rowsPerSec)} rows/s, ${exported.mbPerSec} MB/s (${s(exported.wallMs)}, CPU ${s(exported.cpuMs)})`);
  row('exports', 'peak RSS', `${exported.peakRssMb} MB`, '< 150 MB', exported.peakRssMb < 150);
  row('exports', 'row count and digest = the generator’s (exportDigest)', `${n(exported.digest.rows)} rows; match ${exported.match}`, 'match', exported.match);
  row('exports', 'export + download requests; most in a minute; 429s', `${exported.requests}; ${exported.peakPerMinute}; ${exported.throttled}`, '≤ 400 a minute, no 429', exported.peakPerMinute <= 400 && exported.throttled === 0);
  const { reference } = throttled;
  row('throttled', `reference: no cap, c=${reference.concurrency} (a limit that knows the cap), no faults`, `${n(reference.servedPerSec)}/s = ${reference.ratioToBound} of ${throttled.boundPerSec}/s; server in flight: mean ${reference.meanInFlight}; ${s(reference.wallMs)}`);
  for (const [i, run] of throttled.runs.entries()) {
    const faults = run.faultRate > 0;
    const figure = `cap ${throttled.cap} in flight, ${throttled.latencyMs} ms, c=${throttled.concurrency}, ${faults ? `${run.faultRate * 100}% faults` : 'no other fault'}: requests served/s vs ${throttled.cap} ÷ ${throttled.latencyMs} ms = ${throttled.boundPerSec}/s`;
    const value = `${n(run.servedPerSec)}/s = ${run.ratioToBound}; useful ${n(run.usefulPerSec)}/s = ${run.usefulRatioToBound}; ${n(run.capThrottles)} 429s from the cap${faults ? `, ${n(run.faults)} injected faults (${n(run.throttles)} 429s in all)` : ''}; server in flight: mean ${run.meanInFlight}, at the cap ${Math.round(run.atCapShare * 100)}% of samples, peak ${run.peakInFlight}; ${n(run.requests)} requests in ${s(run.wallMs)}; ${throttled.ratiosToReference[i]} of the reference`;
    row('throttled', figure, value, faults ? '≥ 0.6' : '≥ 0.8', run.ratioToBound >= (faults ? 0.6 : 0.8));
  }
  row('throttled', `record set with faults = without (${n(throttled.runs[0]!.records)} records)`, `match ${throttled.match}`, 'match', throttled.match);
  return rows;
}

function formatTable(rows: readonly Check[]): string {
  const cells = rows.map((r) => [r.scenario, r.figure, r.value, r.target, r.met === undefined ? '' : r.met ? 'yes' : '**no**']);
  const lines = [['scenario', 'figure', 'value', 'target', 'met'], ['---', '---', '---', '---', '---'], ...cells];
  return lines.map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] ? resolve(argv[outIndex + 1]!) : DEFAULT_OUT;
  const machine = describeMachine();
  const startedAt = new Date();
  const loadAtStart = loadavg().map((l) => round(l, 2));
  process.stderr.write(`bench: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, load average ${loadAtStart.join(' ')}\n`);
  const started = performance.now();

  process.stderr.write('bench: simulator\n');
  const sim = await simulatorBench();
  process.stderr.write('bench: latency-bound (concurrency 1 alone takes about 2 minutes)\n');
  const latency = await latencyBench();
  process.stderr.write('bench: CPU-bound throughput\n');
  const { reference, ...throughput } = await throughputBench();
  process.stderr.write('bench: slow consumer\n');
  const slow = await slowConsumerBench(reference);
  process.stderr.write('bench: growth\n');
  const growth = await growthBench();
  process.stderr.write('bench: full catalog, slow reader (about five minutes)\n');
  const fullCatalog = await fullCatalogBench();
  process.stderr.write('bench: incremental\n');
  const incremental = await incrementalBench();
  process.stderr.write('bench: big organizations\n');
  const bigOrg = await bigOrgBench();
  process.stderr.write('bench: exports (a million-row element)\n');
  const exported = await exportsBench();
  process.stderr.write('bench: throttled (a cap of 6 requests in flight, 20 ms; about 2 minutes)\n');
  const throttled = await throttledBench();

  const rows = checks({ sim, latency, throughput, slow, growth, fullCatalog, incremental, bigOrg, exported, throttled });
  const durationMs = round(performance.now() - started);
  const loadAtEnd = loadavg().map((l) => round(l, 2));
  const header = `tap-sigma bench, ${startedAt.toISOString()}: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}, ${machine.platform}; load average ${loadAtStart.join(' ')} at start, ${loadAtEnd.join(' ')} at end; ${s(durationMs)}`;
  process.stdout.write(`${header}\n\n${formatTable(rows)}\n`);

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ startedAt: startedAt.toISOString(), durationMs, machine, loadAverage: { start: loadAtStart, end: loadAtEnd }, checks: rows, results: { simulator: sim, latency, throughput, slowConsumer: slow, growth, fullCatalog, incremental, bigOrg, exports: exported, throttled } }, null, 2)}\n`);
  process.stderr.write(`bench: results written to ${out}\n`);
  return latency.match && throughput.match && slow.match && bigOrg.match && exported.match && throttled.match ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
