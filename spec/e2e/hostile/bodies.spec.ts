import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type TestContext, after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { validateConfig } from '../../../lib/config/validateConfig.js';
import { catalogEntryOf } from '../../../lib/tap/streamPlan.js';
import { streams } from '../../../pipelines/index.js';
import { expectedRecords, keyOf } from '../../support/expectedRecords.js';
import { type Exchange, startHostileServer, writeForever } from '../../support/hostileServer.js';
import { RSS_LIMIT_MB, assertNoSecrets, assertOneLine, hostileConfig, warnings } from '../../support/hostileRun.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../../support/runCli.js';

const LISTING = 'GET /v2/workbooks';
const workbooks = streams.find((s) => s.name === 'workbooks')!;
const MB = 1024 * 1024;

/** A workbook entry as Sigma sends one (about 550 bytes), with its own id. */
function workbookEntry(n: number): Record<string, unknown> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const member = '1f96b57e-48ce-4b64-82f1-7c789df9df48';
  return {
    workbookId: id,
    workbookUrlId: `u${n}`,
    name: `Workbook ${n} 数据看板`,
    url: `https://app.sigmacomputing.com/acme/workbook/untitled-u${n}`,
    path: 'Sales 1/Reports 2',
    latestVersion: 2,
    ownerId: member,
    createdBy: member,
    updatedBy: member,
    createdAt: '2022-05-20T10:16:22.393Z',
    updatedAt: '2023-08-01T04:02:58.402Z',
    isArchived: false,
    tags: [],
  };
}

/** A hostile body, sent in place of the listing. */
interface HostileBody {
  readonly name: string;
  /** What the tap's retry line gives as the reason. */
  readonly reason: RegExp;
  readonly extra?: Record<string, unknown>;
  send(exchange: Exchange): void;
}

const HOSTILE_BODIES: readonly HostileBody[] = [
  {
    name: 'an endless chunked body',
    reason: /a body over max_response_bytes/,
    send: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"entries":[');
      writeForever(res, `${JSON.stringify(workbookEntry(1))},`.repeat(100));
    },
  },
  {
    name: 'a 500 MB body',
    reason: /a body over max_response_bytes/,
    send: ({ res }) => {
      const size = 500 * MB;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size) });
      res.write('{"entries":[');
      writeForever(res, Buffer.alloc(MB, ' '));
    },
  },
  {
    name: 'a gzip body that inflates to 500 MB',
    reason: /a body over max_response_bytes/,
    send: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      let sent = 0;
      const spaces = Buffer.alloc(MB, ' ');
      const source = new Readable({
        read() {
          sent += 1;
          this.push(sent <= 500 ? spaces : null);
        },
      });
      source.pipe(createGzip()).pipe(res);
      res.once('close', () => source.destroy());
    },
  },
  {
    name: 'a body at one byte per second',
    reason: /no complete answer within request_timeout_ms/,
    extra: { request_timeout_ms: 1500 },
    send: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ entries: [workbookEntry(1)] });
      let at = 0;
      const timer = setInterval(() => {
        if (at < text.length) res.write(text[at]);
        at += 1;
      }, 1000);
      res.once('close', () => clearInterval(timer));
    },
  },
  {
    name: 'a page of 100,000 workbook entries (55 MB)',
    reason: /a body over max_response_bytes/,
    send: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ entries: Array.from({ length: 100_000 }, (_, n) => workbookEntry(n)) }));
    },
  },
  {
    name: 'a page of 800,000 tiny entries (15 MB, under max_response_bytes)',
    reason: /a body of more objects and arrays than max_response_bytes allows/,
    send: ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"entries":[${'{"workbookId":"w"},'.repeat(799_999)}{"workbookId":"w"}]}`);
    },
  },
];

/** Backoff kept short so that the tests spend their time on the bodies, not on waiting. */
const RETRIES = { max_retries: 2, max_retry_wait_ms: 50 };

describe('hostile bodies are abandoned at a limit, retried like faults and reported, in bounded memory', () => {
  let sim: Simulator;
  let catalog: string;
  let truth: string[];

  before(async () => {
    sim = await startSimulator({ seed: 21, sizes: { workbooks: 12 } });
    catalog = writeJson('catalog.json', { streams: [catalogEntryOf(workbooks)] });
    truth = expectedRecords(sim.org, streams, workbooks, validateConfig({ api_url: sim.url, client_id: 'x', client_secret: 'y' }))
      .map((r) => keyOf(r, workbooks.primaryKeys))
      .sort();
  });

  after(() => sim.close());

  const run = async (t: TestContext, body: HostileBody, hostileAttempts: number): Promise<{ run: CliResult; listings: number }> => {
    const hostile = await startHostileServer(sim.url, (exchange) => {
      if (exchange.key !== LISTING || exchange.seen >= hostileAttempts) return false;
      body.send(exchange);
      return true;
    });
    try {
      const result = await runCli(['--config', hostileConfig(sim, hostile.url, { ...RETRIES, ...body.extra }), '--catalog', catalog]);
      t.diagnostic(`peak RSS ${result.peakRssMb} MB`);
      assert.ok(result.peakRssMb < RSS_LIMIT_MB, `peak RSS ${result.peakRssMb} MB`);
      assertNoSecrets(result, sim);
      return { run: result, listings: hostile.count(LISTING) };
    } finally {
      await hostile.close();
    }
  };

  for (const body of HOSTILE_BODIES) {
    test(`${body.name} once: abandoned, retried, reported at WARN; every record emitted, exit 0`, async (t) => {
      const { run: result, listings } = await run(t, body, 1);
      assert.equal(result.code, 0, result.stderr);
      const retries = warnings(result).filter((line) => /retry 1\/2 of GET \/v2\/workbooks/.test(line));
      assert.equal(retries.length, 1, result.stderr);
      assert.match(retries[0]!, body.reason);
      assert.equal(listings, 2);
      const got = (recordsByStream(result.messages).get('workbooks') ?? []).map((r) => keyOf(r, workbooks.primaryKeys)).sort();
      assert.deepEqual(got, truth);
    });

    test(`${body.name} on every attempt: exit 1 after the retries, one line with the reason`, async (t) => {
      const { run: result, listings } = await run(t, body, Infinity);
      const line = assertOneLine(result, /GET \/v2\/workbooks failed after 2 retries/);
      assert.match(line, body.reason);
      assert.equal(listings, 3);
      assert.ok(result.messages.every((m) => m['type'] === 'SCHEMA'));
    });
  }

  test('a page of 100,000 small entries within the limits: every record emitted in bounded memory', async (t) => {
    const entries = Array.from({ length: 100_000 }, (_, n) => ({ workbookId: workbookEntry(n)['workbookId'], name: `w${n}`, updatedAt: '2023-08-01T04:02:58.402Z' }));
    const page = JSON.stringify({ entries });
    const hostile = await startHostileServer(sim.url, ({ key, res }) => {
      if (key !== LISTING) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(page);
      return true;
    });
    try {
      const result = await runCli(['--config', hostileConfig(sim, hostile.url, { validate_records: 'off' }), '--catalog', catalog]);
      t.diagnostic(`a ${(page.length / MB).toFixed(1)} MB page; peak RSS ${result.peakRssMb} MB`);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.peakRssMb < RSS_LIMIT_MB, `peak RSS ${result.peakRssMb} MB`);
      const got = recordsByStream(result.messages).get('workbooks') ?? [];
      assert.equal(got.length, 100_000);
      assert.equal(new Set(got.map((r) => r['workbookId'])).size, 100_000);
      assertNoSecrets(result, sim);
    } finally {
      await hostile.close();
    }
  });
});
