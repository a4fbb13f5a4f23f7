import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeApiUrl } from '../../../lib/config/normalizeApiUrl.js';
import { InputError } from '../../../lib/errors.js';

/** Asserts the one-line InputError naming api_url, and that no part of `secret` is in it. */
function assertRejected(url: string, message: RegExp, secret?: string): void {
  assert.throws(
    () => normalizeApiUrl(url),
    (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^config: setting 'api_url' /);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      if (secret !== undefined) assert.equal(error.message.includes(secret), false, error.message);
      return true;
    },
    url,
  );
}

describe('normalizeApiUrl', () => {
  test('returns scheme://host[:port] without a trailing slash or default port', () => {
    assert.equal(normalizeApiUrl('https://aws-api.sigmacomputing.com/'), 'https://aws-api.sigmacomputing.com');
    assert.equal(normalizeApiUrl('https://aws-api.sigmacomputing.com'), 'https://aws-api.sigmacomputing.com');
    assert.equal(normalizeApiUrl('HTTPS://API.EU.AWS.SigmaComputing.com:443/'), 'https://api.eu.aws.sigmacomputing.com');
    assert.equal(normalizeApiUrl('https://sigma.internal:8443'), 'https://sigma.internal:8443');
  });

  test('allows http for the literal loopback addresses only', () => {
    assert.equal(normalizeApiUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(normalizeApiUrl('http://127.45.6.7:1/'), 'http://127.45.6.7:1');
    assert.equal(normalizeApiUrl('http://localhost:1'), 'http://localhost:1');
    assert.equal(normalizeApiUrl('http://[::1]:9000'), 'http://[::1]:9000');
    assert.equal(normalizeApiUrl('http://[0:0:0:0:0:0:0:1]:9000'), 'http://[::1]:9000');
    for (const url of ['http://127.evil.example', 'http://127.0.0.1.nip.io', 'http://localhost.example', 'http://api.sigmacomputing.com', 'http://10.0.0.1', 'http://[::ffff:127.0.0.1]', 'http://[::2]']) {
      assertRejected(url, /must use https:\/\/ \(http:\/\/ is allowed only for the loopback addresses/);
    }
  });

  test('rejects a user name or password without repeating them', () => {
    assertRejected('http://user:pw-s3cret@127.0.0.1:8080', /must not contain a user name or password.*, got "http:\/\/127\.0\.0\.1:8080"$/, 'pw-s3cret');
    assertRejected('https://tok-s3cret@aws-api.sigmacomputing.com/', /must not contain a user name or password/, 'tok-s3cret');
    assertRejected('https://user:pw-s3cret@aws-api.sigmacomputing.com/v2?x=1', /must not contain a user name or password/, 'pw-s3cret');
  });

  test('never echoes text that may hold credentials it could not parse', () => {
    assertRejected('user:pw-s3cret@host', /must use https:\/\/, not user:$/, 'pw-s3cret');
    assertRejected('https://us er:pw-s3cret@ho st', /must be an absolute URL such as https:\/\/aws-api\.sigmacomputing\.com$/, 'pw-s3cret');
    assertRejected('https://user:pw/s3cret@host', /must be an absolute URL/, 's3cret');
    assertRejected('https://h:1/pa@th-s3cret', /must not have a path.*, got "https:\/\/h:1"$/, 's3cret');
  });

  test('rejects a path, a query or a fragment, showing the URL without a query', () => {
    assertRejected('https://aws-api.sigmacomputing.com/v2', /must not have a path \(the tap adds \/v2\/… itself\), got "https:\/\/aws-api\.sigmacomputing\.com\/v2"$/);
    assertRejected('https://aws-api.sigmacomputing.com//', /must not have a path/);
    assertRejected('https://aws-api.sigmacomputing.com/?key=s3cret', /must not have a query, got "https:\/\/aws-api\.sigmacomputing\.com"$/, 's3cret');
    assertRejected('https://aws-api.sigmacomputing.com/#s3cret', /must not have a fragment/, 's3cret');
  });

  test('rejects what is not an absolute http(s) URL', () => {
    assertRejected('sigma', /must be an absolute URL such as https:\/\/aws-api\.sigmacomputing\.com, got "sigma"$/);
    assertRejected('/v2/workbooks', /must be an absolute URL/);
    assertRejected('ftp://aws-api.sigmacomputing.com', /must use https:\/\/, not ftp:$/);
    assertRejected('file:///etc/passwd', /must use https:\/\/, not file:$/);
  });
});
