import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestEvent } from '../../../lib/http/sigmaClient.js';
import { type ProgressMode, type ProgressOutput, SyncProgress, progressMode } from '../../../lib/progress/syncProgress.js';
import type { StreamDefinition } from '../../../lib/streams/streamDefinition.js';

const definitions = [
  stream('workbooks', '/v2/workbooks'),
  stream('workbook_pages', '/v2/workbooks/{workbookId}/pages', 'workbooks'),
  stream('workbook_grants', '/v2/grants', 'workbooks'),
  stream('data_model_grants', '/v2/grants', 'data_models'),
  stream('data_models', '/v2/dataModels'),
];

function stream(name: string, path: string, parent?: string): StreamDefinition {
  return { name, path, pagination: 'pageLimit', maxPageSize: null, entrySchema: { type: 'object' }, primaryKeys: ['id'], replicationReason: 'FULL_TABLE', ...(parent ? { parent } : {}) };
}

/** A stderr stand-in that records every write; `isTTY` makes it a terminal. */
class FakeStderr implements ProgressOutput {
  readonly writes: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
    readonly rows = 24,
  ) {}
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return true;
  }
  get text(): string {
    return this.writes.join('');
  }
}

function harness(mode: ProgressMode, output = new FakeStderr(mode === 'live')) {
  const clock = { ms: 0 };
  const infos: string[] = [];
  const progress = new SyncProgress({ output, definitions, mode, now: () => clock.ms, liveIntervalMs: 60_000, plainIntervalMs: 60_000 });
  progress.start({ info: (line: string) => infos.push(line) });
  return { progress, output, clock, infos };
}

const request = (endpoint: string, retry = false, stream = definitions.find((d) => d.path === endpoint)?.name): RequestEvent => ({ endpoint, stream, status: retry ? 429 : 200, durationMs: 10, retry });
const ESC = '\u001b[';

describe('progressMode', () => {
  test('is live on a terminal, plain on a pipe, off when the log level hides info lines', () => {
    assert.equal(progressMode({ isTTY: true, write: () => true }, 'info'), 'live');
    assert.equal(progressMode({ isTTY: true, write: () => true }, 'debug'), 'live');
    assert.equal(progressMode({ write: () => true }, 'info'), 'plain');
    assert.equal(progressMode({ isTTY: true, write: () => true }, 'warn'), 'off');
    assert.equal(progressMode({ write: () => true }, 'error'), 'off');
  });

  test('is plain when stdout is a terminal too, whose Singer lines the redraws would erase', () => {
    assert.equal(progressMode({ isTTY: true, write: () => true }, 'info', { isTTY: true }), 'plain');
    assert.equal(progressMode({ isTTY: true, write: () => true }, 'info', { isTTY: false }), 'live');
  });
});

describe('SyncProgress on a terminal (live)', () => {
  test('draws a header and one line per stream with records, rate, requests and retries', () => {
    const { progress, output, clock } = harness('live');
    progress.request(request('/v2/workbooks'));
    progress.request(request('/v2/workbooks', true));
    clock.ms = 2_000;
    progress.records('workbooks', 100);
    progress.tick();
    const [header, line] = progress.renderBlock();
    assert.match(header!, /^tap-sigma: 100 records, 2 requests, [\d.]+ req\/s, 1 retries, 2 s$/);
    assert.match(line!, /workbooks\s+100 rec\s+50 rec\/s\s+2 req\s+1 retries$/);
    assert.ok(output.text.includes('tap-sigma: 100 records'));
    progress.stop();
  });

  test('redraws in place: erases the lines it drew before drawing again, and only when something changed', () => {
    const { progress, output } = harness('live');
    progress.records('workbooks', 1);
    progress.tick();
    const afterFirst = output.writes.length;
    progress.tick();
    assert.equal(output.writes.length, afterFirst, 'nothing changed, nothing written');
    progress.records('workbooks', 1);
    progress.tick();
    assert.ok(output.writes.at(-1)!.startsWith(`${ESC}2A\r${ESC}0J`), 'moves up over the 2 drawn lines and clears them');
    progress.stop();
  });

  test('writes a log line above the block: erases the block, writes the line, redraws on the next tick', () => {
    const { progress, output } = harness('live');
    progress.records('workbooks', 1);
    progress.tick();
    progress.write('WARN retry 1/6 of GET /v2/workbooks after HTTP 429\n');
    assert.deepEqual(output.writes.slice(-2), [`${ESC}2A\r${ESC}0J`, 'WARN retry 1/6 of GET /v2/workbooks after HTTP 429\n']);
    progress.tick();
    assert.match(output.writes.at(-1)!, /^tap-sigma: 1 records/);
    progress.stop();
  });

  test('marks the streams of a finished tree done; lists running streams first, then finished ones biggest first', () => {
    const { progress } = harness('live');
    progress.records('workbooks', 1);
    progress.records('workbook_pages', 9);
    progress.records('data_models', 1);
    progress.treeDone('workbooks');
    const lines = progress.renderBlock().slice(1);
    assert.match(lines[0]!, /data_models/);
    assert.match(lines[1]!, /workbook_pages .* done$/);
    assert.match(lines[2]!, /workbooks .* done$/);
    progress.stop();
  });

  test('counts the requests of streams that share an endpoint apart', () => {
    const { progress } = harness('live');
    progress.request(request('/v2/grants', false, 'workbook_grants'));
    progress.request(request('/v2/grants', false, 'report_grants'));
    progress.records('workbook_grants', 4);
    const line = progress.renderBlock().find((l) => l.includes('workbook_grants'))!;
    assert.match(line, /\s1 req\s/);
    assert.match(progress.renderBlock()[0]!, /2 requests/, 'both count in the total');
    progress.stop();
  });

  test('fits the terminal: no line wider than it, no more lines than its rows', () => {
    const { progress } = harness('live', new FakeStderr(true, 40, 4));
    for (const name of ['workbooks', 'workbook_pages', 'workbook_grants', 'data_models']) progress.records(name, 123_456);
    const block = progress.renderBlock();
    assert.ok(block.every((line) => line.length <= 39), block.join('\n'));
    assert.ok(block.length <= 4);
    assert.match(block.at(-1)!, /more streams/);
    progress.stop();
  });

  test('leaves the final block on screen when stopped, and writes nothing after', () => {
    const { progress, output } = harness('live');
    progress.records('workbooks', 7);
    progress.stop();
    assert.match(output.writes.at(-1)!, /^tap-sigma: 7 records/);
    const count = output.writes.length;
    progress.tick();
    progress.records('workbooks', 1);
    progress.write('INFO sync finished\n');
    assert.deepEqual(output.writes.slice(count), ['INFO sync finished\n'], 'log lines pass straight through once stopped');
  });
});

describe('SyncProgress on a pipe (plain)', () => {
  test('writes one info line per interval with totals, the request rate and the streams that grew most', () => {
    const { progress, output, clock, infos } = harness('plain');
    for (let i = 0; i < 30; i += 1) progress.request(request('/v2/workbooks', i < 2));
    progress.records('workbooks', 500);
    progress.records('workbook_pages', 2_000);
    clock.ms = 30_000;
    progress.tick();
    assert.equal(infos.length, 1);
    assert.equal(infos[0], 'progress: 2500 records, 30 requests (2 retries), 1.0 req/s, 0/2 streams done, 30 s elapsed; since the last line: workbook_pages +2000, workbooks +500');
    clock.ms = 60_000;
    progress.records('workbooks', 5);
    progress.tick();
    assert.match(infos[1]!, /0\.0 req\/s, .* since the last line: workbooks \+5$/);
    assert.equal(output.writes.length, 0, 'plain lines go through the logger, never straight to the stream');
    progress.stop();
  });

  test('passes log lines through untouched', () => {
    const { progress, output } = harness('plain');
    progress.write('INFO hello\n');
    assert.deepEqual(output.writes, ['INFO hello\n']);
    progress.stop();
  });
});

describe('SyncProgress off', () => {
  test('draws and logs nothing, and passes log lines through', () => {
    const { progress, output, infos } = harness('off', new FakeStderr(true));
    progress.records('workbooks', 1);
    progress.tick();
    progress.stop();
    progress.write('WARN something\n');
    assert.deepEqual(output.writes, ['WARN something\n']);
    assert.deepEqual(infos, []);
  });
});
