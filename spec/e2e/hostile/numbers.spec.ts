import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { firstValueFrom, toArray } from 'rxjs';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { createTap } from '../../../lib/index.js';
import { catalogEntryOf } from '../../../lib/tap/streamPlan.js';
import { streams } from '../../../pipelines/index.js';
import { type HostileServer, answerEdited, startHostileServer } from '../../support/hostileServer.js';
import { assertNoSecrets, hostileConfig, hostileSettings, warnings } from '../../support/hostileRun.js';
import { recordsByStream, runCli, writeJson } from '../../support/runCli.js';

/** Number tokens no JavaScript number holds, and what each would silently become. */
const TOKENS = ['1e400', '-1e400', '9223372036854775808', '12345678901234567890123', '9007199254740993', '1e-400'];

/**
 * The listing with `latestVersion` of its first workbooks rewritten to TOKENS, as raw number tokens in
 * the JSON text; `edited` gets their ids.
 */
function withHostileNumbers(text: string, edited: string[]): string {
  const page = JSON.parse(text) as { entries: Array<Record<string, unknown>> };
  edited.splice(0, edited.length, ...page.entries.slice(0, TOKENS.length).map((entry) => String(entry['workbookId'])));
  TOKENS.forEach((_, i) => (page.entries[i]!['latestVersion'] = `@@${i}@@`));
  return TOKENS.reduce((json, token, i) => json.replace(`"@@${i}@@"`, token), JSON.stringify(page));
}

describe('numbers beyond 2^53 and the double range are kept exactly', () => {
  let sim: Simulator;
  let hostile: HostileServer;
  const doctoredIds: string[] = [];
  let truth: Map<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 41, sizes: { workbooks: 10 } });
    hostile = await startHostileServer(sim.url, (exchange) => (exchange.key === 'GET /v2/workbooks' ? answerEdited(exchange, (text) => withHostileNumbers(text, doctoredIds)) : false));
    truth = new Map(sim.org.workbooks.map((w) => [w.workbookId, w.latestVersion]));
  });

  after(async () => {
    await hostile.close();
    await sim.close();
  });

  const catalog = (): string => writeJson('catalog.json', { streams: [catalogEntryOf(streams.find((s) => s.name === 'workbooks')!)] });

  for (const policy of ['warn', 'fail']) {
    test(`the CLI (validate_records ${policy}) writes each as the very token Sigma sent; other numbers unchanged, no schema warning`, async () => {
      const run = await runCli(['--config', hostileConfig(sim, hostile.url, { validate_records: policy, page_size: 100 }), '--catalog', catalog()]);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.split('\n').filter((line) => line.startsWith('{"type":"RECORD"'));
      TOKENS.forEach((token, i) => {
        const line = lines.find((l) => l.includes(`"workbookId":"${doctoredIds[i]}"`));
        assert.ok(line?.includes(`"latestVersion":${token},`), `${token} in ${line}`);
      });
      const others = (recordsByStream(run.messages).get('workbooks') ?? []).filter((r) => !doctoredIds.includes(String(r['workbookId'])));
      assert.ok(others.length > 0);
      for (const record of others) assert.equal(record['latestVersion'], truth.get(String(record['workbookId'])));
      assert.deepEqual(warnings(run).filter((line) => /schema/.test(line)), []);
      assertNoSecrets(run, sim);
    });
  }

  test('the library gives such a number as the text of its digits, in records() (push and pull) and messages()', async () => {
    const tap = createTap(hostileSettings(sim, hostile.url, { page_size: 100 }));
    const pushed = await firstValueFrom(tap.records('workbooks').pipe(toArray()));
    const pulled: Array<Record<string, unknown>> = [];
    for await (const workbook of tap.records('workbooks')) pulled.push({ ...workbook });
    const messages = await firstValueFrom(tap.messages({ catalog: { streams: [catalogEntryOf(streams.find((s) => s.name === 'workbooks')!)] } }).pipe(toArray()));
    const fromMessages = messages.filter((m) => m.type === 'RECORD').map((m) => m.record);
    for (const records of [pushed, pulled, fromMessages] as Array<ReadonlyArray<Record<string, unknown>>>) {
      const byId = new Map(records.map((r) => [String(r['workbookId']), r['latestVersion']]));
      assert.deepEqual(doctoredIds.map((id) => byId.get(id)), TOKENS);
      for (const [id, value] of byId) if (!doctoredIds.includes(id)) assert.equal(value, truth.get(id));
      assert.ok(records.every((r) => !JSON.stringify(r).includes('\\u0000')), 'no internal marker reaches a library user');
    }
    tap.close();
  });
});
