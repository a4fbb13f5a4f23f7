import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

/** One stream per pagination style and every bare-array stream, with their parents. */
const SELECTED = {
  pageLimit: ['workbooks', 'members', 'workbook_pages'],
  pageToken: ['account_types', 'report_pages', 'data_model_sources'],
  array: ['workbook_sources', 'report_sources', 'dataset_sources', 'account_type_permissions'],
  single: ['whoami'],
};

describe('pagination styles against the simulator, two records per page', () => {
  let sim: Simulator;
  let run: CliResult;
  let rawConfig: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 17, sizes: { workbooks: 12, members: 9, reports: 4, dataModels: 4 } });
    rawConfig = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 2 };
    const names = Object.values(SELECTED).flat();
    const catalog = { streams: streams.filter((s) => names.includes(s.name)).map(catalogEntryOf) };
    run = await runCli(['--config', writeJson('c.json', rawConfig), '--catalog', writeJson('catalog.json', catalog)]);
    assert.equal(run.code, 0, run.stderr);
  });

  after(() => sim.close());

  for (const [style, names] of Object.entries(SELECTED)) {
    test(`${style}: every record exactly once, as in the generator's truth`, () => {
      const config = validateConfig(rawConfig);
      const got = recordsByStream(run.messages);
      for (const name of names) {
        const stream = streams.find((s) => s.name === name)!;
        assert.equal(stream.pagination, style, `${name} is a ${style} stream`);
        const expected = expectedRecords(sim.org, streams, stream, config).map((r) => keyOf(r, stream.primaryKeys)).sort();
        const actual = (got.get(name) ?? []).map((r) => keyOf(r, stream.primaryKeys)).sort();
        if (style !== 'single') assert.ok(expected.length > 2, `${name} has more than one page of records (${expected.length})`);
        else assert.equal(expected.length, 1);
        assert.deepEqual(actual, expected, name);
      }
    });
  }

  test('paged endpoints were followed past their first page', () => {
    const byEndpoint = sim.stats().byEndpoint;
    const requests = (path: string): number => Object.values(byEndpoint[`GET ${path}`] ?? {}).reduce((a, b) => a + b, 0);
    const count = (stream: string): number => (recordsByStream(run.messages).get(stream) ?? []).length;
    assert.ok(requests('/v2/workbooks') >= Math.ceil(count('workbooks') / 2), `/v2/workbooks took ${requests('/v2/workbooks')} pages for ${count('workbooks')} workbooks`);
    assert.ok(requests('/v2/accountTypes') >= Math.ceil(count('account_types') / 2), `/v2/accountTypes took ${requests('/v2/accountTypes')} pages`);
    assert.equal(requests('/v2/workbooks/{workbookId}/sources'), count('workbooks'), 'one request per workbook for a bare array');
  });
});
