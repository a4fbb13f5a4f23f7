/**
 * Element data: a workbook element of a million rows (the simulator's audit log) extracted through
 * the export API in chunks of 250,000 rows (4 exports, each polled until ready, then streamed), as
 * the `exports` setting makes a stream of it. The output is captured and, after the timed run, its
 * rows are checked against the generator: the same count and the same digest, in the same order
 * (`exportDigest`), so no row was lost, repeated or changed. Memory must stay flat however large the
 * element: the file is parsed as it arrives and never held whole.
 *
 * Run alone: `npm run build && node dist/bench/exports.bench.js`. Prints one JSON line.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type DigestResult, type ExportElementInfo, exportDigest, Organization, RowDigest } from '../fixtures/index.js';
import { describeMachine, isEntryPoint, printResult, round } from './support/machine.js';
import { runTap } from './support/runTap.js';
import { startSimulatorProcess } from './support/simulatorProcess.js';

const SEED = 1;
export const ROWS = 1_000_000;
export const ROW_LIMIT = 250_000;
const SIZES = { auditLogRows: ROWS };
const STREAM = 'export_audit_log';

export interface ExportsResult {
  readonly scenario: 'exports';
  readonly seed: number;
  readonly node: string;
  readonly rows: number;
  readonly rowLimit: number;
  /** Exports the simulator accepted (one per chunk) and export + download requests in all. */
  readonly exports: number;
  readonly requests: number;
  /** Most export and download requests in any minute, and 429s from that limit: both within Sigma's 400. */
  readonly peakPerMinute: number;
  readonly throttled: number;
  readonly bytes: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rowsPerSec: number;
  readonly mbPerSec: number;
  readonly peakRssMb: number;
  /** The RECORDs' rows digested in output order, and the generator's. */
  readonly digest: DigestResult;
  readonly expected: DigestResult;
  readonly match: boolean;
}

/** The rows of the captured output's RECORDs of `stream`, digested in order. */
async function digestOutput(file: string, stream: string): Promise<DigestResult> {
  const digest = new RowDigest();
  const head = `{"type":"RECORD","stream":${JSON.stringify(stream)},`;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.startsWith(head)) digest.add((JSON.parse(line) as { record: Record<string, unknown> }).record);
  }
  return digest.result();
}

export async function exportsBench(): Promise<ExportsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-sigma-bench-'));
  const sim = await startSimulatorProcess({ seed: SEED, sizes: SIZES });
  try {
    const [audit] = new Organization(SEED, SIZES).exportElements() as [ExportElementInfo];
    const entry = { name: 'audit_log', workbook_id: audit.workbookId, element_id: audit.elementId, primary_keys: ['Event Id'], replication_key: 'Event Time', replication_parameter: audit.dateControlId, row_limit: ROW_LIMIT };
    const file = join(dir, 'exports.jsonl');
    await sim.resetStats();
    const run = await runTap(sim, { streams: [STREAM], config: { exports: [entry] }, consumer: { captureTo: file } });
    const stats = (await sim.stats()).exports;
    process.stderr.write(`exports: ${run.output.records} rows in ${round(run.wallMs / 1000, 1)} s, peak RSS ${run.peakRssMb} MB; checking them against the generator\n`);
    const [digest, expected] = [await digestOutput(file, STREAM), exportDigest(new Organization(SEED, SIZES), audit.workbookId, audit.elementId)];
    return {
      scenario: 'exports',
      seed: SEED,
      node: process.version,
      rows: run.output.records,
      rowLimit: ROW_LIMIT,
      exports: stats.queries,
      requests: stats.requests,
      peakPerMinute: stats.peakPerMinute,
      throttled: stats.throttled,
      bytes: run.output.bytes,
      wallMs: round(run.wallMs),
      cpuMs: round(run.cpuMs),
      rowsPerSec: round(run.output.records / (run.wallMs / 1000)),
      mbPerSec: round(run.output.bytes / 2 ** 20 / (run.wallMs / 1000), 1),
      peakRssMb: run.peakRssMb,
      digest,
      expected,
      match: digest.rows === ROWS && digest.sha256 === expected.sha256,
    };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) printResult({ ...(await exportsBench()), machine: describeMachine() });
