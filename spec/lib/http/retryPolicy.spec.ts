import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AxiosError, type AxiosResponse } from 'axios';
import { isRetriable, retryDelayMs } from '../../../lib/http/retryPolicy.js';

const withStatus = (status: number, code?: string): AxiosError =>
  new AxiosError('x', code, undefined, undefined, { status, headers: {}, data: '', statusText: '', config: {} } as AxiosResponse);

describe('isRetriable', () => {
  test('retries 429 and 5xx, not other 4xx', () => {
    assert.equal(isRetriable(withStatus(429)), true);
    assert.equal(isRetriable(withStatus(503)), true);
    assert.equal(isRetriable(withStatus(404)), false);
    assert.equal(isRetriable(withStatus(400)), false);
  });

  test('does not retry a status the endpoint uses as an answer', () => {
    assert.equal(isRetriable(withStatus(500), [500]), false);
  });

  test('retries resets, timeouts and unparseable bodies, never a cancellation', () => {
    assert.equal(isRetriable(new AxiosError('reset', 'ECONNRESET')), true);
    assert.equal(isRetriable(new AxiosError('timeout', 'ECONNABORTED')), true);
    assert.equal(isRetriable(withStatus(200, 'ERR_BAD_RESPONSE')), true);
    assert.equal(isRetriable(new AxiosError('canceled', 'ERR_CANCELED')), false);
  });
});

describe('retryDelayMs', () => {
  test('honours Retry-After seconds', () => {
    assert.equal(retryDelayMs(1, '3', () => 0), 3000);
  });

  test('backs off exponentially with bounded jitter, capped at 30 s', () => {
    assert.equal(retryDelayMs(1, undefined, () => 0), 500);
    assert.equal(retryDelayMs(3, undefined, () => 0), 2000);
    assert.equal(retryDelayMs(3, undefined, () => 1), 3000);
    assert.equal(retryDelayMs(20, undefined, () => 0), 30_000);
  });
});
