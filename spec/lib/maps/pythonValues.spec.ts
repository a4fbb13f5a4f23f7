import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pythonCompare, pythonEquals, pythonRepr, slice, truthy } from '../../../lib/maps/pythonValues.js';

describe('pythonValues', () => {
  test('repr writes values as Python prints them', () => {
    assert.equal(pythonRepr([null, true, 1, 1.5, 'it\'s', { a: 'b' }]), `[None, True, 1, 1.5, "it's", {'a': 'b'}]`);
    assert.equal(pythonRepr(1e-7), '1e-07');
    assert.equal(pythonRepr(1.5e-5), '1.5e-05');
    assert.equal(pythonRepr(1.5e16), '15000000000000000', 'an integral number is an int: JSON does not keep 1.5e16 apart from 15000000000000000');
    assert.equal(pythonRepr(0.0001), '0.0001');
    assert.equal(pythonRepr(12345678901234567890), '12345678901234567168');
    assert.equal(pythonRepr('a\nb'), "'a\\nb'");
  });

  test('truthiness, equality and ordering', () => {
    assert.deepEqual([null, 0, '', [], {}, false].map(truthy), [false, false, false, false, false, false]);
    assert.deepEqual([1, 'x', [0], { a: 1 }].map(truthy), [true, true, true, true]);
    assert.equal(pythonEquals({ a: [1, true] }, { a: [1.0, 1] }), true);
    assert.equal(pythonEquals('1', 1), false);
    assert.ok(pythonCompare('a', 'b', '<') < 0);
    assert.ok(pythonCompare([1, 2], [1], '<') > 0);
  });

  test('slices follow Python’s bounds and steps', () => {
    assert.deepEqual(slice([0, 1, 2, 3, 4], 1, -1, null), [1, 2, 3]);
    assert.deepEqual(slice([0, 1, 2, 3, 4], null, null, -2), [4, 2, 0]);
    assert.equal(slice('abcdef', -3, null, null), 'def');
    assert.deepEqual(slice([0, 1], 5, 10, null), []);
  });
});
