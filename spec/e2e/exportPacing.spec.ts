import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ExportElementInfo, exportDigest, RowDigest, type Simulator, startSimulator } from '../../fixtures/index.js';
import { createTap } from '../../lib/index.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

/** How export streams are paced: by their reader (backpressure), and by the per-minute limit. */

function credentials(sim: Simulator): Record<string, string> {
  return { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
}

function entryOf(name: string, element: ExportElementInfo, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, workbook_id: element.workbookId, element_id: element.elementId, ...extra };
}

describe('export pacing', () => {
  let sim: Simulator;
  let audit: ExportElementInfo;
  let targets: ExportElementInfo;

  before(async () => {
    sim = await startSimulator({ seed: 23, sizes: { auditLogRows: 150_000 }, tokenRequestsPerSecond: 1_000 });
    [audit, , targets] = sim.org.exportElements() as [ExportElementInfo, ExportElementInfo, ExportElementInfo];
  });
  after(() => sim.close());

  test('a reader that stops pulling pauses the download, which resumes where it stopped', async () => {
    const tap = createTap({ ...credentials(sim), exports: [entryOf('audit', audit, { primary_keys: ['Event Id'] })] });
    const rows = tap.records('export_audit')[Symbol.asyncIterator]();
    const digest = new RowDigest();
    const pull = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i += 1) {
        const next = await rows.next();
        assert.equal(next.done, false);
        digest.add(next.value);
      }
    };
    // Extractions of another element from the same server, 10 exports of 4 rows each: while they run
    // the paused download has every chance to move on.
    const otherRun = async (): Promise<void> => {
      const config = { ...credentials(sim), exports: [entryOf('targets', targets, { row_limit: 4 })] };
      const run = await runCli(['--config', writeJson('config.json', config), '--catalog', writeJson('catalog.json', { streams: [{ stream: 'export_targets' }] })]);
      assert.equal(run.code, 0, run.stderr);
    };
    await pull(1_000);
    await otherRun();
    const paused = sim.stats().exports.rowsStreamed - targets.rowCount;
    await otherRun();
    const later = sim.stats().exports.rowsStreamed - 2 * targets.rowCount;
    assert.ok(paused < audit.rowCount, `the download stopped before the end of the file (${paused} of ${audit.rowCount} rows sent)`);
    assert.equal(later, paused, 'not one more row was sent while the reader was not pulling');
    await pull(20_000);
    assert.deepEqual(digest.result(), exportDigest(sim.org, audit.workbookId, audit.elementId, { rowLimit: 21_000 }), 'it resumed with the next row');
    await rows.return!();
    tap.close();
  });

  test('export and download requests stay within export_requests_per_minute, even when that takes more than a minute', async () => {
    const limit = 6;
    const limited = await startSimulator({ seed: 23, exports: { requestsPerMinute: limit, notReadyPolls: 0 }, tokenRequestsPerSecond: 1_000 });
    try {
      const config = { ...credentials(limited), export_requests_per_minute: limit, exports: [entryOf('targets', targets, { row_limit: 10, primary_keys: ['Target Id'] })] };
      const run = await runCli(['--config', writeJson('config.json', config), '--catalog', writeJson('catalog.json', { streams: [{ stream: 'export_targets' }] })], { timeoutMs: 180_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const digest = new RowDigest();
      for (const row of recordsByStream(run.messages).get('export_targets') ?? []) digest.add(row);
      assert.deepEqual(digest.result(), exportDigest(limited.org, targets.workbookId, targets.elementId));
      const stats = limited.stats().exports;
      assert.ok(stats.requests > limit, `the run needed more than a minute's worth of requests (${stats.requests})`);
      assert.equal(stats.throttled, 0, 'the tap never asked beyond the limit');
      assert.ok(stats.peakPerMinute <= limit, `at most ${limit} in any minute (${stats.peakPerMinute})`);
    } finally {
      await limited.close();
    }
  });
});
