import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../lib/config/loadConfig.js';
import { InputError } from '../../../lib/errors.js';
import { writeJson, writeText } from '../../support/runCli.js';

const base = { client_id: 'id', client_secret: 's3cr3t-value', api_url: 'https://aws-api.sigmacomputing.com' };

describe('loadConfig', () => {
  test('later sources win, the ENV source included', () => {
    const config = loadConfig([writeJson('a.json', { ...base, concurrency: 2 }), writeJson('b.json', { concurrency: 3 }), 'ENV'], { TAP_SIGMA_PAGE_SIZE: '10' });
    assert.equal(config.concurrency, 3);
    assert.equal(config.page_size, 10);
  });

  test('object settings read from the environment are JSON, as the SDK reads them', () => {
    const env = { TAP_SIGMA_STREAM_MAPS: '{"members": {"__alias__": "people"}}', TAP_SIGMA_STREAM_MAP_CONFIG: '', TAP_SIGMA_FLATTENING_ENABLED: 'true', TAP_SIGMA_FLATTENING_MAX_DEPTH: '2' };
    const config = loadConfig([writeJson('a.json', base), 'ENV'], env);
    assert.deepEqual(config.stream_maps, { members: { __alias__: 'people' } });
    assert.equal(config.stream_map_config, undefined, 'empty is unset');
    assert.equal(config.flattening_enabled, true);
    assert.equal(config.flattening_max_depth, 2);
    assert.throws(() => loadConfig([writeJson('a.json', base), 'ENV'], { TAP_SIGMA_BATCH_CONFIG: '{encoding' }), (e: unknown) => e instanceof InputError && e.message === 'config: setting \'batch_config\' must be a JSON object, got "{encoding"');
  });

  test('{"__proto__": {"concurrency": 64}} changes no setting: the file is refused, naming the key', () => {
    const path = writeText('c.json', JSON.stringify(base).replace('{', '{"__proto__": {"concurrency": 64, "page_size": 1}, '));
    assert.throws(() => loadConfig([path], {}), (e: unknown) => e instanceof InputError && /^config file .*c\.json: the key __proto__ is not allowed \(at the root\)$/.test(e.message));
    assert.equal(loadConfig([writeJson('ok.json', base)], {}).concurrency, 8, 'a later load is unaffected');
    assert.equal(({} as Record<string, unknown>)['concurrency'], undefined, 'Object.prototype is untouched');
  });

  test('constructor and prototype keys are inert: unknown keys, no setting changes', () => {
    const path = writeText('c.json', JSON.stringify({ ...base, constructor: { prototype: { concurrency: 64 } }, prototype: { concurrency: 64 } }));
    const config = loadConfig([path, writeJson('b.json', { constructor: { concurrency: 64 } })], {});
    assert.equal(config.concurrency, 8);
    assert.equal(({} as Record<string, unknown>)['concurrency'], undefined);
  });
});
