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
