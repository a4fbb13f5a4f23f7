import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonSyntaxErrorOffset } from '../../../lib/config/jsonSyntaxErrorOffset.js';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxErrorOffset', () => {
  test('is undefined for valid JSON of every kind', () => {
    for (const text of ['{}', '[]', ' {"a":[1,{"b":null}],"c":"\\u00e9\\n\\"","d":-0.5e+3,"e":true,"f":false} ', '"s"', '0', '[[[[]]]]']) {
      assert.equal(jsonSyntaxErrorOffset(text), undefined, text);
    }
  });

  test('points at the first character that breaks the grammar', () => {
    const cases: Array<[string, number]> = [
      ['{"a":1,}', 7], // trailing comma: JSON.parse gives no offset for it
      ['{"a":[1,]}', 8],
      ['{"a":tru}', 5],
      ['{"a":1}x', 7],
      ['{"a":01}', 6],
      ['{"a" 1}', 5],
      ['{,}', 1],
      ['[1 2]', 3],
      ['{"a":"\\x"}', 6],
      ['{"a":"\u0001"}', 6],
      ['{"a":1}}', 7],
      ["{'a':1}", 1],
    ];
    for (const [text, offset] of cases) assert.equal(jsonSyntaxErrorOffset(text), offset, text);
  });

  test('is the text length when the text ends too early', () => {
    for (const text of ['{"a":1', '"abc', '[1,', '{"a":', '']) assert.equal(jsonSyntaxErrorOffset(text), text.length, text);
  });

  test('agrees with JSON.parse on every one-character deletion, insertion and change of a document', () => {
    const source = '{"streams": [{"tap_stream_id": "w", "schema": {"properties": {"a": {"type": ["string", "null"]}}}, "n": -1.5e3, "ok": true, "none": null, "esc": "\\"\\u00e9"}]}';
    const variants: string[] = [];
    for (let i = 0; i <= source.length; i += 1) {
      variants.push(source.slice(0, i) + source.slice(i + 1));
      for (const c of [',', '}', ']', '"', ':', 'x', '1', ' ', '\\']) variants.push(source.slice(0, i) + c + source.slice(i), source.slice(0, i) + c + source.slice(i + 1));
    }
    for (const text of variants) assert.equal(jsonSyntaxErrorOffset(text) === undefined, parses(text), text);
  });

  test('handles nesting a million levels deep without overflowing the stack', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    assert.equal(jsonSyntaxErrorOffset(deep), undefined);
    assert.equal(jsonSyntaxErrorOffset(`${deep}]`), 2_000_000);
  });
});
