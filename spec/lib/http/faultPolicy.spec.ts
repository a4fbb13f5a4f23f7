import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AttemptOutcome, type Verdict, judge, retryAfterMs, retryDelayMs } from '../../../lib/http/faultPolicy.js';

/** The verdict without its reason text, for the table. */
function actionOf(verdict: Verdict): string {
  if (verdict.action === 'accept') return 'accept';
  if (verdict.action === 'stop') return `stop:${verdict.kind}`;
  return verdict.throttled ? 'retry:throttled' : verdict.unauthorized ? 'retry:unauthorized' : 'retry';
}

describe('judge', () => {
  const table: ReadonlyArray<readonly [string, AttemptOutcome, string, RegExp?]> = [
    ['200 with JSON', { status: 200, body: 'json' }, 'accept'],
    ['200 with an HTML page (an edge page)', { status: 200, body: 'html' }, 'retry', /^an HTML page instead of JSON \(HTTP 200\)$/],
    ['200 with JSON cut short', { status: 200, body: 'truncated' }, 'retry', /^a truncated JSON body \(HTTP 200\)$/],
    ['200 with no body', { status: 200, body: 'empty' }, 'retry', /^an empty body \(HTTP 200\)$/],
    ['500 with a JSON envelope', { status: 500, body: 'json', message: 'Internal error' }, 'retry', /^HTTP 500: Internal error$/],
    ['502 with an HTML page', { status: 502, body: 'html' }, 'retry', /^HTTP 502 \(an HTML error page\)$/],
    ['503 with no body', { status: 503, body: 'empty' }, 'retry', /^HTTP 503$/],
    ['504 with JSON cut short', { status: 504, body: 'truncated' }, 'retry', /^HTTP 504$/],
    ['429', { status: 429, body: 'json' }, 'retry:throttled', /^HTTP 429$/],
    ['401', { status: 401, body: 'json' }, 'retry:unauthorized', /^HTTP 401$/],
    ['403', { status: 403, body: 'json', message: 'Forbidden' }, 'stop:unavailable', /^HTTP 403: Forbidden$/],
    ['404', { status: 404, body: 'empty' }, 'stop:unavailable', /^HTTP 404$/],
    ['400 naming a feature not enabled', { status: 400, body: 'json', message: 'Tenants are not enabled for this organization' }, 'stop:unavailable'],
    ['400 for anything else', { status: 400, body: 'json', message: 'limit must be at most 1000' }, 'stop:fatal', /^HTTP 400: limit must be at most 1000$/],
    ['422', { status: 422, body: 'json' }, 'stop:fatal'],
    ['a connection reset', { code: 'ECONNRESET' }, 'retry', /^ECONNRESET$/],
    ['a socket hang up', { code: 'socket hang up' }, 'retry'],
    ['a body that broke off after the headers', { code: 'ERR_BAD_RESPONSE' }, 'retry'],
    ['the attempt deadline', { code: 'DEADLINE' }, 'retry', /request_timeout_ms/],
    ['a body over the size limit', { body: 'too-large' }, 'retry', /max_response_bytes/],
    ['a TLS failure', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'stop:fatal', /TLS/],
    ['a host that does not resolve', { code: 'ENOTFOUND' }, 'stop:fatal', /ENOTFOUND/],
    ['an unknown network code', { code: 'EWHATEVER' }, 'stop:fatal'],
    ['an attempt the tap cancelled', { aborted: true, status: 500 }, 'stop:aborted'],
  ];
  for (const [name, outcome, expected, reason] of table) {
    test(`${name}: ${expected}`, () => {
      const verdict = judge(outcome);
      assert.equal(actionOf(verdict), expected);
      if (reason && verdict.action !== 'accept') assert.match(verdict.reason, reason);
    });
  }

  test('no 5xx reason speaks of a body that is not JSON, whatever the body', () => {
    for (const body of ['json', 'html', 'empty', 'truncated'] as const) {
      const verdict = judge({ status: 503, body });
      assert.equal(verdict.action, 'retry');
      assert.doesNotMatch(verdict.action === 'retry' ? verdict.reason : '', /instead of JSON|truncated JSON|empty body/);
    }
  });

  test('a status declared as an answer stops at once, even one that is otherwise retried or unavailable', () => {
    for (const status of [500, 503, 429, 404]) {
      const verdict = judge({ status, body: 'json' }, [status]);
      assert.equal(actionOf(verdict), 'stop:answer', `HTTP ${status}`);
    }
    assert.equal(actionOf(judge({ status: 502, body: 'html' }, [500])), 'retry', 'only the declared statuses');
  });
});

describe('retryDelayMs', () => {
  const options = (random: number, maxWaitMs = 30_000) => ({ maxWaitMs, random: () => random, now: () => 1_000_000 });

  test('full jitter: a uniform draw between 0 and 250 ms × 2^(n−1)', () => {
    assert.equal(retryDelayMs(1, undefined, options(0)), 0);
    assert.equal(retryDelayMs(1, undefined, options(0.5)), 125);
    assert.equal(retryDelayMs(1, undefined, options(0.999)), 249.75);
    assert.equal(retryDelayMs(2, undefined, options(0.5)), 250);
    assert.equal(retryDelayMs(3, undefined, options(0.5)), 500);
    assert.equal(retryDelayMs(6, undefined, options(0.5)), 4_000);
  });

  test('backoff is capped by max_retry_wait_ms, and a huge retry number does not overflow', () => {
    assert.equal(retryDelayMs(10, undefined, options(0.5, 3_000)), 1_500);
    assert.equal(retryDelayMs(10, undefined, options(0.999, 3_000)), 2_997);
    assert.equal(retryDelayMs(1_000, undefined, options(0.5)), 15_000);
  });

  test('Retry-After in seconds is waited exactly, without jitter', () => {
    assert.equal(retryDelayMs(1, '3', options(0)), 3_000);
    assert.equal(retryDelayMs(1, ' 2 ', options(0.9)), 2_000);
    assert.equal(retryDelayMs(4, '0', options(0.9)), 0);
    assert.equal(retryDelayMs(1, '1.5', options(0)), 1_500);
  });

  test('Retry-After as an HTTP date is the time left until that date', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const at = new Date(now + 7_000).toUTCString();
    assert.equal(retryDelayMs(1, at, { maxWaitMs: 30_000, random: () => 0, now: () => now }), 7_000);
    assert.equal(retryDelayMs(1, new Date(now - 5_000).toUTCString(), { maxWaitMs: 30_000, now: () => now }), 0, 'a date in the past: at once');
  });

  test('Retry-After is capped by max_retry_wait_ms, in seconds or as a date', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(retryDelayMs(1, '3600', options(0, 30_000)), 30_000);
    assert.equal(retryDelayMs(1, new Date(now + 3_600_000).toUTCString(), { maxWaitMs: 500, now: () => now }), 500);
  });

  test('an unreadable Retry-After falls back to backoff', () => {
    assert.equal(retryDelayMs(2, 'soon', options(0.5)), 250);
    assert.equal(retryDelayMs(2, '', options(0.5)), 250);
    assert.equal(retryDelayMs(2, '-1', options(0.5)), 250);
  });

  test('retryAfterMs reads both forms', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    assert.equal(retryAfterMs('120', () => now), 120_000);
    assert.equal(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', () => now), 30_000);
    assert.equal(retryAfterMs('Sunday, 01-Mar-26 12:00:30 GMT', () => now), 30_000, 'the obsolete RFC 850 form');
    assert.equal(retryAfterMs('Sun Mar  1 12:00:30 2026', () => now), 30_000, 'asctime, read as GMT whatever the local zone');
    assert.equal(retryAfterMs(undefined, () => now), undefined);
  });
});
