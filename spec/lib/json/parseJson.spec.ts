import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { losesPrecision, restoreExactNumbers, withExactNumbersAsText } from '../../../lib/json/exactNumbers.js';
import { parseJson } from '../../../lib/json/parseJson.js';

describe('parseJson and exact numbers', () => {
  test('which number tokens a JavaScript number would change', () => {
    for (const token of ['1e400', '-1e400', '1e-400', '0.' + '0'.repeat(400) + '1', '9007199254740993', '9223372036854775808', '-9223372036854775809', '12345678901234567890123']) {
      assert.equal(losesPrecision(token), true, token);
    }
    for (const token of ['0', '-0', '0e7', '0.000', '0.1', '1.5e300', '-2.5e-300', '9007199254740991', '-9007199254740991', '1e21', '123456789012345678.5']) {
      assert.equal(losesPrecision(token), false, token);
    }
  });

  test('such tokens survive a parse and a serialization as the very text sent; other numbers are numbers', () => {
    const text = '{"a":1e400,"b":[-1e400,{"c":9223372036854775808}],"d":12345678901234567890123,"e":1.5,"f":"1e400","g":42}';
    const parsed = parseJson(text);
    assert.ok(parsed.ok);
    assert.equal(parsed.exactNumbers, true);
    const value = parsed.value as Record<string, unknown>;
    assert.equal(value['e'], 1.5);
    assert.equal(value['g'], 42);
    assert.equal(value['f'], '1e400');
    assert.equal(restoreExactNumbers(JSON.stringify(value)), text);
    assert.deepEqual(withExactNumbersAsText(value), { a: '1e400', b: ['-1e400', { c: '9223372036854775808' }], d: '12345678901234567890123', e: 1.5, f: '1e400', g: 42 });
  });

  test('a body without such tokens is parsed as JSON.parse parses it', () => {
    const parsed = parseJson('{"entries":[{"n":9007199254740991,"x":0.1}]}');
    assert.ok(parsed.ok);
    assert.equal(parsed.exactNumbers, false);
    assert.deepEqual(parsed.value, { entries: [{ n: 9007199254740991, x: 0.1 }] });
  });

  test('nesting depth is measured without recursion, 200,000 levels included', () => {
    const depth = 200_000;
    const parsed = parseJson(`{"entries":[${'['.repeat(depth)}${']'.repeat(depth)},{"a":"[[["}]}`);
    assert.ok(parsed.ok);
    assert.equal(parsed.maxDepth, depth + 2);
  });

  test('a body of more objects and arrays than allowed is refused before it is parsed', () => {
    assert.deepEqual(parseJson(`[${'{},'.repeat(10)}{}]`, { maxContainers: 10 }), { ok: false, body: 'too-many-values' });
    assert.equal(parseJson(`[${'{},'.repeat(8)}{}]`, { maxContainers: 10 }).ok, true);
    // Brackets inside strings are text, not containers.
    assert.equal(parseJson(`["${'['.repeat(100)}"]`, { maxContainers: 1 }).ok, true);
  });
});
