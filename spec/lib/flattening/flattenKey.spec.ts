import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flattenKey } from '../../../lib/flattening/flattenKey.js';

describe('flattenKey', () => {
  test('joins the path with the separator', () => {
    assert.equal(flattenKey(['bar', 'baz', 'foo'], '__', 255), 'bar__baz__foo');
    assert.equal(flattenKey(['bar', 'baz', 'foo'], '.', 255), 'bar.baz.foo');
  });

  test('abbreviates from the outermost segment while the name is too long (the SDK test case)', () => {
    const parents = ['first', 'second', 'third', 'fourth', 'fifth'].map((n) => `${n}_extremely_long_parent_key_name_with_many_words`);
    const key = flattenKey([...parents, 'very_long_key_name_that_contains_many_characters'], '__', 255);
    assert.ok(key.length < 255);
    assert.equal(key.split('__').length, 6);
    assert.ok(key.startsWith('felpknwmw__'), key);
    const short = flattenKey([...parents, 'very_long_key_name_that_contains_many_characters'], '__', 100);
    assert.ok(short.length < 100 && short.split('__').length === 6, short);
  });

  test('a segment without enough capitals is cut to three characters; a name at the limit is shortened too', () => {
    assert.equal(flattenKey(['aaaaaaaaaa', 'b'], '__', 13), 'aaa__b');
    assert.equal(flattenKey(['customer_profile', 'first_name'], '__', 20), 'cp__first_name');
  });
});
