import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonLineReader } from '../../../lib/exports/JsonLineReader.js';
import { EXACT_NUMBER_MARKER } from '../../../lib/json/exactNumbers.js';

/** Every row of `text` fed in pieces of `size` bytes. */
function readAll(text: string, size: number): unknown[] {
  const bytes = Buffer.from(text);
  const reader = new JsonLineReader();
  const rows: unknown[] = [];
  for (let at = 0; at < bytes.length; at += size) rows.push(...reader.push(bytes.subarray(at, at + size)).rows);
  rows.push(...reader.end().rows);
  return rows;
}

describe('JsonLineReader', () => {
  const text = '{"a":1,"s":"x\\ny"}\n{"a":2,"s":"日本 ✅"}\r\n\n{"a":3,"nested":{"b":[1,2]}}\n';
  const rows = [{ a: 1, s: 'x\ny' }, { a: 2, s: '日本 ✅' }, { a: 3, nested: { b: [1, 2] } }];

  test('gives the rows of complete lines, whatever the chunk boundaries (inside lines, inside UTF-8 characters)', () => {
    for (const size of [1, 2, 3, 7, 16, 1000]) assert.deepEqual(readAll(text, size), rows, `chunks of ${size} bytes`);
  });

  test('holds an incomplete line until it is completed, and reads a last line without a newline at the end', () => {
    const reader = new JsonLineReader();
    assert.deepEqual(reader.push(Buffer.from('{"a":1}\n{"a"')).rows, [{ a: 1 }]);
    assert.deepEqual(reader.push(Buffer.from(':2}')).rows, []);
    assert.deepEqual(reader.end().rows, [{ a: 2 }]);
    assert.deepEqual(new JsonLineReader().end().rows, []);
  });

  test('keeps the digits of numbers a double cannot hold', () => {
    const [row] = readAll('{"id":12345678901234567890}\n', 1000) as Array<{ id: unknown }>;
    assert.equal(row!.id, `${EXACT_NUMBER_MARKER}12345678901234567890`);
  });

  test('says whether the rows hold such numbers, so that only those batches are searched for them when serialized', () => {
    const flag = (text: string): boolean => {
      const reader = new JsonLineReader();
      return reader.push(Buffer.from(text)).exactNumbers;
    };
    assert.equal(flag('{"id":1}\n{"id":2}\n'), false);
    assert.equal(flag('{"id":1}\n{"id":12345678901234567890}\n'), true);
    assert.equal(flag('{"id":1\n{"id":12345678901234567890}\n'), true, 'also when a bad line makes the lines parse one by one');
    assert.equal(flag('{"id":1\n{"id":2}\n'), false);
  });

  test('gives up only a line that is not JSON, as its text', () => {
    assert.deepEqual(readAll('{"a":1}\n{"a":\n{"a":3}\n', 1000), [{ a: 1 }, '{"a":', { a: 3 }]);
    assert.deepEqual(readAll('{"a":1},{"a":2}\n', 1000), ['{"a":1},{"a":2}'], 'two values on one line are one bad line');
  });

  test('reports how deeply the rows nest', () => {
    const reader = new JsonLineReader();
    assert.ok(reader.push(Buffer.from('{"a":{"b":{"c":[1]}}}\n')).maxDepth >= 4);
  });
});
