import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LastKeys } from '../../../lib/exports/LastKeys.js';

describe('LastKeys', () => {
  test('remembers the last `capacity` keys added, and forgets older ones', () => {
    const keys = new LastKeys(3);
    for (const key of ['a', 'b', 'c', 'd']) keys.add(key);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => keys.has(k)), [false, true, true, true]);
    keys.add('b');
    keys.add('e');
    assert.deepEqual(['b', 'c', 'd', 'e'].map((k) => keys.has(k)), [false, true, true, true], 'adding a key it holds does not renew it');
  });

  test('with capacity 0 remembers nothing', () => {
    const keys = new LastKeys(0);
    keys.add('a');
    assert.equal(keys.has('a'), false);
    assert.equal(keys.size, 0);
  });

  test('stays bounded however many keys pass through', () => {
    const keys = new LastKeys(100);
    for (let i = 0; i < 100_000; i += 1) keys.add(String(i));
    assert.equal(keys.size, 100);
    assert.equal(keys.has('99999'), true);
    assert.equal(keys.has('99899'), false);
  });
});
