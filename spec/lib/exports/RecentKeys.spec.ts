import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RecentKeys } from '../../../lib/exports/RecentKeys.js';

describe('RecentKeys', () => {
  test('remembers the last `capacity` keys added, and forgets older ones', () => {
    const keys = new RecentKeys(3);
    for (const key of ['a', 'b', 'c', 'd']) keys.add(key);
    assert.deepEqual([...keys].sort(), ['b', 'c', 'd']);
    assert.equal(keys.has('a'), false);
    keys.add('b');
    keys.add('e');
    assert.deepEqual([...keys].sort(), ['c', 'd', 'e'], 'adding a key it holds does not renew it');
  });

  test('with capacity 0 remembers nothing', () => {
    const keys = new RecentKeys(0);
    keys.add('a');
    assert.equal(keys.has('a'), false);
    assert.equal(keys.size, 0);
  });

  test('stays bounded however many keys pass through', () => {
    const keys = new RecentKeys(100);
    for (let i = 0; i < 100_000; i += 1) keys.add(String(i));
    assert.equal(keys.size, 100);
    assert.equal(keys.has('99999'), true);
    assert.equal(keys.has('99899'), false);
  });
});
