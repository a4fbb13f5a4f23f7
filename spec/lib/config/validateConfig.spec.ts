import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfig } from '../../../lib/config/validateConfig.js';

const base = { client_id: 'id', client_secret: 's3cr3t-value', api_url: 'https://aws-api.sigmacomputing.com' };

describe('validateConfig', () => {
  test('fills defaults', () => {
    const config = validateConfig(base);
    assert.equal(config.concurrency, 8);
    assert.equal(config.page_size, 1000);
    assert.equal(config.validate_records, 'warn');
  });

  test('names a missing required setting', () => {
    assert.throws(() => validateConfig({ ...base, client_id: undefined }), /missing required setting 'client_id'/);
  });

  test('rejects wrong types naming the setting, without echoing a secret', () => {
    assert.throws(() => validateConfig({ ...base, concurrency: 'eight' }), /'concurrency' must be an integer/);
    assert.throws(() => validateConfig({ ...base, client_secret: 42 }), (e: unknown) => e instanceof Error && /'client_secret' must be a string$/.test(e.message));
    assert.throws(() => validateConfig({ ...base, start_date: '2024-01-01 00:00' }), /'start_date' must be an RFC 3339/);
    assert.throws(() => validateConfig({ ...base, validate_records: 'loud' }), /one of warn, fail, off/);
  });

  test('accepts https anywhere and http only on loopback', () => {
    assert.equal(validateConfig({ ...base, api_url: 'http://127.0.0.1:8080' }).api_url, 'http://127.0.0.1:8080');
    assert.equal(validateConfig({ ...base, api_url: 'http://localhost:1' }).api_url, 'http://localhost:1');
    assert.throws(() => validateConfig({ ...base, api_url: 'http://api.sigmacomputing.com' }), /must use https/);
    assert.throws(() => validateConfig({ ...base, api_url: 'not a url' }), /'api_url' must be an absolute URL/);
  });
});
