import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../lib/errors.js';
import { parsePage } from '../../../lib/http/parsePage.js';

describe('parsePage', () => {
  test('reads entries and nextPage of a page/limit envelope; null ends', () => {
    assert.deepEqual(parsePage('pageLimit', { entries: [{ a: 1 }], nextPage: 'c2' }, '/x'), { entries: [{ a: 1 }], next: 'c2' });
    assert.equal(parsePage('pageLimit', { entries: [], nextPage: null }, '/x').next, undefined);
  });

  test('reads nextPageToken of a pageToken envelope and ignores a stray nextPage', () => {
    assert.equal(parsePage('pageToken', { entries: [], nextPageToken: 't' }, '/x').next, 't');
    assert.equal(parsePage('pageToken', { entries: [], nextPage: 'p' }, '/x').next, undefined);
  });

  test('accepts a bare array wherever Sigma may send one', () => {
    assert.deepEqual(parsePage('arrayOrEnvelope', [{ a: 1 }], '/x'), { entries: [{ a: 1 }], next: undefined });
    assert.deepEqual(parsePage('array', [{ a: 1 }, 'junk'], '/x').entries, [{ a: 1 }, 'junk'], 'non-objects are left for the caller to count');
  });

  test('wraps a single object as one record', () => {
    assert.deepEqual(parsePage('single', { userId: 'u' }, '/x').entries, [{ userId: 'u' }]);
  });

  test('rejects a body that is neither', () => {
    assert.throws(() => parsePage('pageLimit', { nope: true }, '/x'), ApiError);
    assert.throws(() => parsePage('single', [1], '/x'), ApiError);
  });
});
