import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfig } from '../../../lib/config/validateConfig.js';

const base = { client_id: 'id', client_secret: 's3cr3t-value', api_url: 'https://aws-api.sigmacomputing.com' };

describe('validateConfig', () => {
  test('fills defaults', () => {
    const config = validateConfig(base);
    assert.equal(config.concurrency, 8);
    assert.equal(config.page_size, 250);
    assert.equal(config.validate_records, 'warn');
  });

  test('object settings (stream_maps, stream_map_config, batch_config) take JSON objects; the SDK’s other built-ins their defaults', () => {
    const config = validateConfig({ ...base, stream_maps: { members: { email: null } }, batch_config: { encoding: { format: 'jsonl' } } });
    assert.deepEqual(config.stream_maps, { members: { email: null } });
    assert.equal(config.stream_map_config, undefined);
    assert.equal(config.flattening_enabled, false);
    assert.equal(config.flattening_max_key_length, 255);
    assert.equal(config.flattening_separator, '__');
    assert.equal(config.emit_activate_version_messages, false);
    for (const value of ['{"members": null}', ['members'], 3]) {
      assert.throws(() => validateConfig({ ...base, stream_maps: value }), (e: unknown) => e instanceof Error && e.message.startsWith("config: setting 'stream_maps' must be a JSON object, got "));
    }
  });

  test('child_refresh maps stream names to with-parent or every-run, and nothing else', () => {
    assert.deepEqual(validateConfig(base).child_refresh, {});
    const config = validateConfig({ ...base, child_refresh: { workbook_bookmarks: 'with-parent', workbook_pages: 'every-run' } });
    assert.deepEqual(config.child_refresh, { workbook_bookmarks: 'with-parent', workbook_pages: 'every-run' });
    assert.deepEqual(validateConfig(config as unknown as Record<string, unknown>).child_refresh, config.child_refresh, 'a validated config validates again unchanged');
    assert.throws(
      () => validateConfig({ ...base, child_refresh: { workbook_bookmarks: 'when-listed' } }),
      (e: unknown) => e instanceof Error && e.message === `config: setting 'child_refresh' must map stream names to with-parent or every-run, got "when-listed" for 'workbook_bookmarks'`,
    );
    assert.throws(() => validateConfig({ ...base, child_refresh: ['workbook_bookmarks'] }), /'child_refresh' must be a JSON object/);
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

  test('accepts https anywhere and http only on loopback, normalized without a trailing slash', () => {
    assert.equal(validateConfig({ ...base, api_url: 'http://127.0.0.1:8080/' }).api_url, 'http://127.0.0.1:8080');
    assert.equal(validateConfig({ ...base, api_url: 'http://localhost:1' }).api_url, 'http://localhost:1');
    assert.equal(validateConfig({ ...base, api_url: 'https://aws-api.sigmacomputing.com/' }).api_url, 'https://aws-api.sigmacomputing.com');
    assert.throws(() => validateConfig({ ...base, api_url: 'http://api.sigmacomputing.com' }), /must use https/);
    assert.throws(() => validateConfig({ ...base, api_url: 'http://127.evil.example' }), /must use https/);
    assert.throws(() => validateConfig({ ...base, api_url: 'not a url' }), /'api_url' must be an absolute URL/);
  });

  test('an api_url with a password is refused without repeating it', () => {
    assert.throws(
      () => validateConfig({ ...base, api_url: 'http://user:pw-s3cret@127.0.0.1:8080' }),
      (e: unknown) => e instanceof Error && /'api_url' must not contain a user name or password/.test(e.message) && !e.message.includes('pw-s3cret'),
    );
  });

  test('start_date: a date alone is midnight UTC, a date-time is kept, a day that does not exist is refused', () => {
    assert.equal(validateConfig({ ...base, start_date: '2024-01-01' }).start_date, '2024-01-01T00:00:00Z');
    assert.equal(validateConfig({ ...base, start_date: '2024-01-01T12:30:00.5+02:00' }).start_date, '2024-01-01T12:30:00.5+02:00');
    assert.equal(validateConfig({ ...base, start_date: '2024-01-01t12:30:00z' }).start_date, '2024-01-01T12:30:00Z');
    assert.throws(() => validateConfig({ ...base, start_date: '2024-02-30' }), /^InputError: config: setting 'start_date' must be an RFC 3339 date-time or a date \(2024-02 has no day 30\), got "2024-02-30"$/);
    assert.throws(() => validateConfig({ ...base, start_date: '2023-02-29T00:00:00Z' }), /\(2023-02 has no day 29\)/);
    assert.throws(() => validateConfig({ ...base, start_date: '2024-13-01' }), /\(month 13 does not exist\)/);
    assert.throws(() => validateConfig({ ...base, start_date: '2024-01-01T25:00:00Z' }), /\(hour 25 does not exist\)/);
    assert.throws(() => validateConfig({ ...base, start_date: 20240101 }), /'start_date' must be an RFC 3339 date-time or a date \(such as 2024-01-01T00:00:00Z or 2024-01-01\), got 20240101$/);
  });

  test('reads own keys only: a value inherited through the prototype is not a setting', () => {
    const inherited = Object.assign(Object.create({ concurrency: 64, start_date: 'nonsense' }) as Record<string, unknown>, base);
    const config = validateConfig(inherited);
    assert.equal(config.concurrency, 8);
    assert.equal(config.start_date, undefined);
  });
});
