import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

const SELECTED = ['workbooks', 'workbook_pages', 'reports', 'data_models', 'data_model_columns', 'members', 'files', 'connections'];

describe('visibility settings', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 23, sizes: { workbooks: 30, dataModels: 30, reports: 8, members: 15 } });
  });

  after(() => sim.close());

  const sync = async (settings: Record<string, unknown>) => {
    const raw = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, ...settings };
    const catalog = { streams: streams.filter((s) => SELECTED.includes(s.name)).map(catalogEntryOf) };
    const run = await runCli(['--config', writeJson('c.json', raw), '--catalog', writeJson('catalog.json', catalog)]);
    assert.equal(run.code, 0, run.stderr);
    return { records: recordsByStream(run.messages), config: validateConfig(raw) };
  };

  const assertTruth = (records: Map<string, Array<Record<string, unknown>>>, config: ReturnType<typeof validateConfig>): void => {
    for (const name of SELECTED) {
      const stream = streams.find((s) => s.name === name)!;
      const expected = expectedRecords(sim.org, streams, stream, config).map((r) => keyOf(r, stream.primaryKeys)).sort();
      assert.deepEqual((records.get(name) ?? []).map((r) => keyOf(r, stream.primaryKeys)).sort(), expected, name);
    }
  };

  test('by default: documents shared with the client, no archived workbooks, no children of archived documents', async () => {
    const { records, config } = await sync({});
    assertTruth(records, config);
    assert.ok(!records.get('workbooks')!.some((w) => w['isArchived'] === true));
    const archivedModels = new Set(records.get('data_models')!.filter((d) => d['isArchived'] === true).map((d) => d['dataModelId']));
    assert.ok(archivedModels.size > 0, 'Sigma lists archived data models');
    assert.ok(!records.get('data_model_columns')!.some((c) => archivedModels.has(c['dataModelId'])), 'their children are skipped');
  });

  test('skip_permission_check, include_archived and file_type_filters widen every listing as Sigma defines', async () => {
    const narrow = await sync({});
    const { records, config } = await sync({ skip_permission_check: true, include_archived: true, file_type_filters: ['workbook', 'folder', 'table'] });
    assertTruth(records, config);
    assert.ok(records.get('workbooks')!.some((w) => w['isArchived'] === true), 'archived workbooks are listed');
    assert.ok(records.get('workbooks')!.length > narrow.records.get('workbooks')!.length);
    assert.ok(records.get('files')!.some((f) => f['type'] === 'table'), 'tables are listed when asked for');
    assert.ok(records.get('workbook_pages')!.length > narrow.records.get('workbook_pages')!.length);
  });
});
