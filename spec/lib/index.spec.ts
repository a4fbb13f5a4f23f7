import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Observable, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { type SigmaTap, type WorkbooksRecord, InputError, createTap, streams } from '../../lib/index.js';
import { expectedRecords } from '../support/expectedRecords.js';

describe('createTap (the library API)', () => {
  let sim: Simulator;
  let config: Record<string, unknown>;
  let tap: SigmaTap;

  before(async () => {
    sim = await startSimulator({ seed: 5 });
    config = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 20 };
    tap = createTap(config);
  });

  after(() => sim.close());

  test('records(stream) emits the whole stream, typed by its schema', async () => {
    const workbooks$: Observable<WorkbooksRecord> = tap.records('workbooks');
    const got = await lastValueFrom(workbooks$.pipe(toArray()));
    const definition = streams.find((s) => s.name === 'workbooks')!;
    const truth = expectedRecords(sim.org, streams, definition, validateConfig(config));
    assert.deepEqual(got.map((w) => w.workbookId).sort(), truth.map((r) => String(r['workbookId'])).sort());
  });

  test('records(stream) of a child stream emits its records with the parent keys, not the parents', async () => {
    const pages = await lastValueFrom(tap.records('workbook_pages').pipe(toArray()));
    assert.ok(pages.length > 0);
    assert.ok(pages.every((page) => typeof page.workbookId === 'string' && typeof page.pageId === 'string'));
  });

  test('unsubscribing early cancels the extraction: only the requests already in flight complete', async () => {
    const before = totalRequests(sim);
    await firstValueFrom(tap.records('workbook_elements').pipe(take(1)));
    const atUnsubscribe = totalRequests(sim);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(atUnsubscribe > before);
    assert.ok(totalRequests(sim) - atUnsubscribe <= validateConfig(config).concurrency, 'at most the requests already in flight complete');
  });

  test('messages({ catalog }) emits the selected stream as Singer messages: SCHEMA, RECORDs, a final STATE', async () => {
    const workbooks = streams.find((s) => s.name === 'workbooks')!;
    const messages = await lastValueFrom(tap.messages({ catalog: { streams: [catalogEntryOf(workbooks)] } }).pipe(toArray()));
    assert.equal(messages[0]!.type, 'SCHEMA');
    const records = messages.filter((m) => m.type === 'RECORD');
    assert.equal(records.length, expectedRecords(sim.org, streams, workbooks, validateConfig(config)).length);
    assert.ok(records.every((m) => m.stream === 'workbooks'));
    const last = messages.at(-1)!;
    assert.equal(last.type, 'STATE');
    assert.ok(JSON.stringify(last).includes('"replication_key":"updatedAt"'));
  });

  test('rejects an unknown stream name at compile time and at run time', () => {
    // @ts-expect-error 'no_such_stream' is not a stream name
    assert.throws(() => tap.records('no_such_stream'), /unknown stream/);
  });

  test('throws InputError for a config without credentials', () => {
    assert.throws(() => createTap({ api_url: sim.url }), InputError);
  });
});

function totalRequests(sim: Simulator): number {
  return sim.stats().totalRequests;
}
