import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { firstValueFrom, toArray } from 'rxjs';
import type { SingerMessage } from '../../../lib/singer/messages.js';
import type { StreamDefinition } from '../../../lib/streams/streamDefinition.js';
import { createTap } from '../../../lib/tap/createTap.js';
import { type ScriptedServer, json, startScriptedServer } from '../../support/scriptedServer.js';

const things: StreamDefinition = {
  name: 'things',
  path: '/v2/things',
  pagination: 'pageLimit',
  maxPageSize: 1000,
  entrySchema: { type: 'object', properties: { thingId: { type: 'string' } }, required: ['thingId'] },
  primaryKeys: ['thingId'],
  replicationReason: 'no timestamp',
};

/** A lineage-like child whose endpoint answers 500 for "nothing here", as Sigma's element lineage does. */
function lineage(answerStatuses?: readonly number[]): StreamDefinition {
  return {
    name: 'thing_lineage',
    path: '/v2/things/{thingId}/lineage',
    pagination: 'pageLimit',
    maxPageSize: 1000,
    entrySchema: { type: 'object', properties: { nodeId: { type: 'string' } } },
    primaryKeys: ['thingId', 'nodeId'],
    replicationReason: 'no timestamp',
    parent: 'things',
    ...(answerStatuses ? { answerStatuses } : {}),
  };
}

const servers: ScriptedServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** Three things; the lineage of a and b answers 500, c has one node. */
async function serve(): Promise<ScriptedServer> {
  const noLineage = { code: 'internal_error', message: 'Failed to compute lineage' };
  const server = await startScriptedServer({
    '/v2/things': (_req, res) => json(res, 200, { entries: [{ thingId: 'a' }, { thingId: 'b' }, { thingId: 'c' }], nextPage: null }),
    '/v2/things/a/lineage': (_req, res) => json(res, 500, noLineage),
    '/v2/things/b/lineage': (_req, res) => json(res, 500, noLineage),
    '/v2/things/c/lineage': (_req, res) => json(res, 200, { entries: [{ nodeId: 'n1' }], nextPage: null }),
  });
  servers.push(server);
  return server;
}

function run(server: ScriptedServer, definitions: readonly StreamDefinition[]): Promise<SingerMessage[]> {
  const tap = createTap({ api_url: server.url, client_id: 'answers-spec', client_secret: 'answers-secret', max_retries: 2, max_retry_wait_ms: 1 }, definitions);
  return firstValueFrom(tap.messages().pipe(toArray())).finally(() => tap.close());
}

describe('answerStatuses of a stream definition', () => {
  test('a declared status is requested once per parent, and the sync goes on without its records', async () => {
    const server = await serve();
    const messages = await run(server, [things, lineage([500])]);
    const records = messages.filter((m) => m.type === 'RECORD').map((m) => (m.type === 'RECORD' ? [m.stream, m.record] : []));
    assert.deepEqual(records, [
      ['things', { thingId: 'a' }],
      ['things', { thingId: 'b' }],
      ['things', { thingId: 'c' }],
      ['thing_lineage', { thingId: 'c', nodeId: 'n1' }],
    ]);
    assert.equal(server.count('/v2/things/a/lineage'), 1);
    assert.equal(server.count('/v2/things/b/lineage'), 1);
  });

  test('undeclared, the same status is retried and fails the run', async () => {
    const server = await serve();
    await assert.rejects(run(server, [things, lineage()]), /stream 'thing_lineage': GET \/v2\/things\/[ab]\/lineage failed after 2 retries \(HTTP 500/);
    assert.ok(server.count('/v2/things/a/lineage') + server.count('/v2/things/b/lineage') >= 3, 'one of them was sent 1 + max_retries times');
  });
});
