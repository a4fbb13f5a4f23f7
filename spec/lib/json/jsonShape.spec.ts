import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { checkOptional, isJsonObject, isStringArray, isStringOrNull, jsonPath, jsonTypeOf, quoted, shapeError } from '../../../lib/json/jsonShape.js';

describe('jsonShape', () => {
  test('isJsonObject is true for objects only, not null or arrays', () => {
    assert.deepEqual([{}, null, [], 'x', 1, undefined].map(isJsonObject), [true, false, false, false, false, false]);
  });

  test('jsonTypeOf names the type, never the value', () => {
    assert.deepEqual([undefined, null, [], {}, 's3cret', 1, true].map(jsonTypeOf), ['nothing', 'null', 'an array', 'an object', 'a string', 'a number', 'a boolean']);
  });

  test('jsonPath writes identifiers with dots, indices in brackets and other keys JSON-quoted', () => {
    assert.equal(jsonPath(['streams', 3, 'metadata', 0, 'selected-by-default']), 'streams[3].metadata[0].selected-by-default');
    assert.equal(jsonPath(['bookmarks', 'a b', 'partitions', 0]), 'bookmarks["a b"].partitions[0]');
    assert.equal(jsonPath(['bookmarks', 'line\nbreak']), 'bookmarks["line\\nbreak"]');
    assert.equal(jsonPath([]), 'the root');
  });

  test('quoted escapes control characters and cuts long names', () => {
    assert.equal(quoted('work\nbooks'), "'work\\nbooks'");
    assert.equal(quoted('x'.repeat(100)), `'${'x'.repeat(80)}…'`);
  });

  test('shapeError is an InputError of one line: where, path, expectation, and the type (or a string quoted)', () => {
    const error = shapeError('state file s.json', ['bookmarks', 'w', 'replication_key'], 'a string', 5);
    assert.ok(error instanceof InputError);
    assert.equal(error.message, 'state file s.json: bookmarks.w.replication_key must be a string, got a number');
    assert.equal(shapeError('f', ['x'], 'true or false', 'yes').message, "f: x must be true or false, got 'yes'");
  });

  test('checkOptional passes an absent or valid key and throws shapeError for an invalid one', () => {
    const holder = { ok: ['a'], bad: ['a', 1], nil: null };
    checkOptional(holder, 'ok', ['x'], 'f', 'an array of strings', isStringArray);
    checkOptional(holder, 'missing', ['x'], 'f', 'an array of strings', isStringArray);
    checkOptional(holder, 'nil', ['x'], 'f', 'a string or null', isStringOrNull);
    assert.throws(() => checkOptional(holder, 'bad', ['x'], 'f', 'an array of strings', isStringArray), { message: 'f: x.bad must be an array of strings, got an array' });
  });
});
