import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stableJson } from '../../../scripts/openapi/stableJson.js';

describe('stableJson', () => {
  test('sorts keys at every depth, keeps array order, indents by 2 and ends with a newline', () => {
    assert.equal(stableJson({ b: 1, a: { d: [3, 1], c: null } }), '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      1\n    ]\n  },\n  "b": 1\n}\n');
  });

  test('gives the same bytes for the same value built in another key order', () => {
    assert.equal(stableJson({ x: 1, y: { p: true, q: 'r' } }), stableJson({ y: { q: 'r', p: true }, x: 1 }));
  });
});
