import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JSON_DEPTH, parseJsonObject } from '../../../lib/config/parseJsonObject.js';
import { InputError } from '../../../lib/errors.js';

const rejects = (text: string, message: string): void => {
  assert.throws(() => parseJsonObject(text, 'state file s.json'), (error: unknown) => error instanceof InputError && error.message === message, text);
};

describe('parseJsonObject', () => {
  test('returns the object', () => {
    assert.deepEqual(parseJsonObject('{"a": [1, {"b": null}]}', 'config file c.json'), { a: [1, { b: null }] });
  });

  test('says where the syntax breaks, by line and column, without quoting the text', () => {
    rejects('{\n  "client_secret": "s3cret",\n}', 'state file s.json: not valid JSON (line 3, column 1)');
    rejects('{"a": tru}', 'state file s.json: not valid JSON (line 1, column 7)');
    rejects('{"a": 1', 'state file s.json: not valid JSON (it ends too early)');
    rejects('  \n', 'state file s.json: not valid JSON (empty)');
  });

  test('requires an object at the root', () => {
    rejects('[1]', 'state file s.json: the root must be a JSON object');
    rejects('null', 'state file s.json: the root must be a JSON object');
  });

  test('refuses a __proto__ key anywhere, naming the object that holds it', () => {
    rejects('{"__proto__": {"concurrency": 64}}', 'state file s.json: the key __proto__ is not allowed (at the root)');
    rejects('{"bookmarks": {"s": {"__proto__": {}}}}', 'state file s.json: the key __proto__ is not allowed (at bookmarks.s)');
    rejects('{"streams": [{}, {"schema": {"properties": {"__proto__": {}}}}]}', 'state file s.json: the key __proto__ is not allowed (at streams[1].schema.properties)');
    assert.equal(({} as Record<string, unknown>)['concurrency'], undefined, 'Object.prototype is untouched');
  });

  test('keeps constructor and prototype as ordinary own keys', () => {
    const value = parseJsonObject('{"constructor": {"prototype": {"concurrency": 64}}, "prototype": 1}', 'config file c.json');
    assert.deepEqual(Object.keys(value), ['constructor', 'prototype']);
    assert.equal(({} as Record<string, unknown>)['concurrency'], undefined);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  test(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, also far deeper, without overflowing the stack`, () => {
    const nested = (levels: number): string => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    assert.ok(parseJsonObject(nested(MAX_JSON_DEPTH), 'state file s.json'));
    rejects(nested(MAX_JSON_DEPTH + 1), `state file s.json: nested deeper than ${MAX_JSON_DEPTH} levels`);
    rejects(nested(1_000_000), `state file s.json: nested deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
