import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeNonAscii, serializeJson } from '../../../lib/flattening/serializeJson.js';

describe('serializeJson', () => {
  test('compact JSON with non-ASCII escaped, NaN as null', () => {
    assert.equal(serializeJson({ a: [1, 'é', NaN], b: { c: null } }), '{"a":[1,"\\u00e9",null],"b":{"c":null}}');
    assert.equal(escapeNonAscii('"\x7f"'), '"\\u007f"');
    assert.equal(escapeNonAscii('"plain"'), '"plain"');
  });

  test('too deep for JSON.stringify: the same text, written without recursion', () => {
    const leaf = { a: undefined, b: [undefined, () => 1, 'ü'], c: null, d: 1.5, e: new Date(0), '': {} };
    const levels = 150_000;
    let value: unknown = leaf;
    for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? [value, 1] : { k: value, skip: undefined };
    assert.throws(() => JSON.stringify(value), RangeError);
    let expected = escapeNonAscii(JSON.stringify(leaf));
    for (let i = 0; i < levels; i += 1) expected = i % 2 === 0 ? `[${expected},1]` : `{"k":${expected}}`;
    assert.equal(serializeJson(value), expected);
  });
});
