import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { answerEdited, startHostileServer, withExtraEntries } from '../../support/hostileServer.js';
import { RSS_LIMIT_MB, assertNoSecrets, differencesFromTruth, hostileSettings, warnings } from '../../support/hostileRun.js';
import { runCli, writeJson } from '../../support/runCli.js';

/** `{"a":{"a":…1…}}`, `depth` objects deep: JSON.stringify overflows V8's stack on it, JSON.parse does not. */
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('an entry nested thousands of levels deep is skipped, reported and counted; the run goes on', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 31, sizes: { workbooks: 4, members: 3, dataModels: 2, reports: 2 } });
  });

  after(() => sim.close());

  for (const depth of [5_000, 200_000]) {
    for (const policy of ['warn', 'fail', 'off']) {
      test(`${depth.toLocaleString('en')} levels, validate_records ${policy}: the deep entries skipped with one WARN per stream, every other record of every stream emitted, exit 0`, async (t) => {
        let pagesDoctored = false;
        const hostile = await startHostileServer(sim.url, (exchange) => {
          // A deep workbook (in a schema property) and a deep bare array among the first page of workbooks…
          if (exchange.key === 'GET /v2/workbooks' && exchange.seen === 0) {
            const workbook = `{"workbookId":"deep-workbook","name":"deep","updatedAt":"2024-01-01T00:00:00Z","description":${deepObject(depth)}}`;
            return answerEdited(exchange, (text) => withExtraEntries(text, [workbook, deepArray(depth)]));
          }
          // …and a deep page among the pages of one workbook (a child stream).
          if (/^GET \/v2\/workbooks\/[^/]+\/pages$/.test(exchange.key) && !pagesDoctored) {
            pagesDoctored = true;
            return answerEdited(exchange, (text) => withExtraEntries(text, [`{"pageId":"deep-page","name":${deepArray(depth)}}`]));
          }
          return false;
        });
        try {
          const settings = hostileSettings(sim, hostile.url, { validate_records: policy });
          const run = await runCli(['--config', writeJson('config.json', settings)]);
          assert.equal(run.code, 0, run.stderr.slice(-2000));
          assert.ok(pagesDoctored);
          assert.deepEqual(differencesFromTruth(run, sim, settings), []);
          const deep = warnings(run).filter((line) => /nested too deep/.test(line));
          assert.deepEqual(deep.map((line) => /WARN (\w+): dropped \d+ entr.*nested too deep: (\d+) /.exec(line)?.slice(1)), [['workbooks', '2'], ['workbook_pages', '1']]);
          assert.ok(deep.every((line) => line.includes('nested more than 100 levels')));
          assert.ok(!/Maximum call stack|RangeError/.test(run.stderr));
          assert.equal(run.messages.at(-1)?.['type'], 'STATE');
          t.diagnostic(`peak RSS ${run.peakRssMb} MB`);
          assert.ok(run.peakRssMb < RSS_LIMIT_MB, `peak RSS ${run.peakRssMb} MB`);
          assertNoSecrets(run, sim);
        } finally {
          await hostile.close();
        }
      });
    }
  }
});
