import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ExpressionScope, compileExpression } from '../../../lib/maps/compileExpression.js';
import { ExpressionError, PythonError } from '../../../lib/maps/expressionError.js';
import { parseExpression } from '../../../lib/maps/parseExpression.js';

const RECORD = {
  email: 'Alice@Example.com',
  count: 21,
  ratio: 0.25,
  name: 'tap-something',
  tags: ['a', 'b', 'c'],
  owner: { id: 7, login: 'alice' },
  missing: null,
  custom_fields: [
    { id: 1, value: 'abc' },
    { id: 2, value: 1212 },
    { id: 3, value: null },
  ],
};

const scope = (overrides: Partial<ExpressionScope> = {}): ExpressionScope => ({
  properties: new Set([...Object.keys(RECORD), 'constructor']),
  hasSelf: true,
  config: { hash_seed: 'seed-' },
  streamName: 'members_v2',
  originalStreamName: 'members',
  ...overrides,
});

const evaluate = (source: string, record: Record<string, unknown> = RECORD, self: unknown = record['email']): unknown =>
  compileExpression(parseExpression(source), scope())({ record, self });

function assertCompileError(source: string, problem: RegExp, overrides: Partial<ExpressionScope> = {}): void {
  assert.throws(() => compileExpression(parseExpression(source), scope(overrides)), (error: unknown) => error instanceof ExpressionError && problem.test(error.problem));
}

function assertPythonError(source: string, message: RegExp, record: Record<string, unknown> = RECORD): void {
  assert.throws(() => evaluate(source, record), (error: unknown) => error instanceof PythonError && message.test(error.message));
}

describe('compileExpression: names', () => {
  test('a property by name, through record and _, and self', () => {
    assert.equal(evaluate('count'), 21);
    assert.equal(evaluate("record['count'] + _['count']"), 42);
    assert.equal(evaluate('self.upper()'), 'ALICE@EXAMPLE.COM');
  });

  test('config is stream_map_config, and the stream names are there', () => {
    assert.equal(evaluate("config['hash_seed'] + name"), 'seed-tap-something');
    assert.equal(evaluate('__stream_name__ + "/" + __original_stream_name__'), 'members_v2/members');
  });

  test('a property the record lacks is None', () => {
    assert.equal(evaluate('count is None', { email: 'x' }), true);
  });

  test('unknown names and functions fail at compile time, before any record', () => {
    assertCompileError('emial.lower()', /name 'emial' is not defined/);
    assertCompileError('lowercase(email)', /unknown function 'lowercase\(\)'/);
    assertCompileError('email.lowr()', /unknown method '\.lowr\(\)'/);
    assertCompileError('md5(email, 1)', /md5\(\) takes 1 argument \(2 given\)/);
    assertCompileError('email.split(sep="@")', /unexpected keyword argument 'sep'/);
    assertCompileError('self', /'self' is only defined/, { hasSelf: false });
    assertCompileError('fake.email()', /Faker/);
    assertCompileError('datetime.date.today()', /datetime/);
    assertCompileError('count.real', /only supported to call a method/);
    assertCompileError('count()', /'count' is not callable/);
  });
});

describe('compileExpression: safety', () => {
  test('no prototype is reachable: dunder names and attributes are refused', () => {
    assertCompileError('__class__', /'__class__' is not accessible/);
    assertCompileError("email.__class__()", /'__class__' is not accessible/);
    assertCompileError('email.constructor("x")', /unknown method '\.constructor\(\)'/);
    assertCompileError('record.__proto__', /only supported to call a method/);
    assertCompileError('eval("1")', /unknown function 'eval\(\)'/);
    assertCompileError('getattr(record, "x")', /unknown function/);
    assertCompileError('__import__("os")', /unknown function '__import__\(\)'/);
  });

  test('subscripts read own properties only: inherited keys are KeyErrors', () => {
    assertPythonError("record['constructor']", /KeyError: 'constructor'/);
    assertPythonError("record['__proto__']", /KeyError: '__proto__'/);
    assertPythonError("config['toString']", /KeyError: 'toString'/);
    assertPythonError("owner['hasOwnProperty']", /KeyError/);
    assert.equal(evaluate('constructor', { constructor: 'own value' }), 'own value');
    assert.equal(evaluate('constructor', {}), null);
  });

  test('a dict built by an expression cannot set a prototype', () => {
    const dict = evaluate("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(dict), Object.prototype);
    assert.deepEqual(Object.keys(dict), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('strings and powers are bounded as simpleeval bounds them', () => {
    assertPythonError("'x' * 1000000", /OverflowError/);
    assertPythonError('2 ** 5000000', /OverflowError/);
  });

  test('the maps and flattening sources never evaluate code (no eval, no Function constructor)', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const files = ['lib/maps', 'lib/flattening'].flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(root, dir, name)));
    assert.ok(files.length >= 10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\b|\bFunction\s*\(|\bvm\b|node:vm/, file);
    }
  });
});

describe('compileExpression: Python semantics', () => {
  test('hashes are the hex digests of the UTF-8 text, as the SDK computes them', () => {
    assert.equal(evaluate('md5("alice@example.com")'), 'c160f8cc69a4f0bf2b0362752353d060');
    assert.equal(evaluate('sha256("alice@example.com")'), 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976');
    assert.equal(evaluate("md5(config['hash_seed'] + email)"), createHash('md5').update('seed-Alice@Example.com').digest('hex'));
    assertPythonError('md5(count)', /AttributeError: 'int' object has no attribute 'encode'/);
  });

  test('string methods', () => {
    assert.equal(evaluate("email.split('@')[-1]"), 'Example.com');
    assert.deepEqual(evaluate("'  a  b '.split()"), ['a', 'b']);
    assert.deepEqual(evaluate("'a,b,c'.split(',', 1)"), ['a', 'b,c']);
    assert.equal(evaluate("email.lower().replace('@', ' at ')"), 'alice at example.com');
    assert.equal(evaluate("'  x '.strip() + '|' + 'xxhixx'.strip('x')"), 'x|hi');
    assert.equal(evaluate("email.endswith(('.org', '.com'))"), true);
    assert.equal(evaluate("'-'.join(tags)"), 'a-b-c');
    assert.equal(evaluate("'hello world'.title()"), 'Hello World');
    assert.equal(evaluate("'42'.zfill(5)"), '00042');
    assert.equal(evaluate('email[:5] + email[::-1][:3]'), 'Alicemoc');
  });

  test('casts: str, int, float, bool, with Python spellings of values', () => {
    assert.equal(evaluate("int('0') + int(' 12 ') + int(9.9) + int('ff', 16)"), 276);
    assert.equal(evaluate("float('1.5') + float(2)"), 3.5);
    assert.equal(evaluate("str(None) + str(True) + str(1.5) + str(tags)"), "NoneTrue1.5['a', 'b', 'c']");
    assert.equal(evaluate("str(1e-07) + ' ' + str(owner)"), "1e-07 {'id': 7, 'login': 'alice'}");
    assert.equal(evaluate("bool('') or bool([])"), false);
    assertPythonError("int('1.5')", /ValueError: invalid literal for int\(\) with base 10: '1\.5'/);
    assertPythonError('int(None)', /TypeError/);
  });

  test('arithmetic and comparisons as in Python', () => {
    assert.equal(evaluate('int(count - 1)'), 20);
    assert.equal(evaluate('7 // 2 + -7 // 2 + -7 % 3 + 7 / 2'), 3 + -4 + 2 + 3.5);
    assert.equal(evaluate('True + 1 == 2 and 1 == 1.0'), true);
    assert.equal(evaluate('1 < count < 30 and not count > 25'), true);
    assert.equal(evaluate("[1, 'a'] == [1, 'a'] and [1, 2] < [1, 3]"), true);
    assert.equal(evaluate("'b' in tags and 'z' not in tags and 'lic' in email and 'id' in owner"), true);
    assertPythonError("count < 'a'", /TypeError: '<' not supported between instances of 'int' and 'str'/);
    assertPythonError("'a' + count", /can only concatenate str \(not "int"\) to str/);
    assertPythonError('count / 0', /ZeroDivisionError/);
  });

  test('and/or return the deciding operand; conditionals choose a branch', () => {
    assert.equal(evaluate("missing or 'default'"), 'default');
    assert.equal(evaluate("name and count"), 21);
    assert.equal(evaluate("'big' if count > 20 else 'small'"), 'big');
    assert.equal(evaluate('round(2.5) + round(3.5) + abs(-2)'), 2 + 4 + 2);
  });

  test('comprehensions, dict(), .get() and json, as the SDK docs use them', () => {
    const field = (id: number): string => `dict([(x["id"], x["value"]) for x in custom_fields]).get(${id})`;
    assert.equal(evaluate(field(1)), 'abc');
    assert.equal(evaluate(`int(${field(2)}) if ${field(2)} else None`), 1212);
    assert.equal(evaluate(`bool(${field(3)}) if ${field(3)} else None`), null);
    assert.deepEqual(evaluate("[f for f in custom_fields if f['id'] != 2]"), [RECORD.custom_fields[0], RECORD.custom_fields[2]]);
    assert.deepEqual(evaluate('{k: v for k, v in owner.items() if k != "id"}'), { login: 'alice' });
    assert.deepEqual(evaluate('[t.upper() for t in tags for n in [1, 2] if n == 2]'), ['A', 'B', 'C']);
    assert.equal(evaluate("owner.get('nope', 'fallback')"), 'fallback');
    assert.equal(evaluate('json.dumps(owner, default=str)'), '{"id": 7, "login": "alice"}');
    assert.equal(evaluate("json.dumps({'name': 'café'})"), '{"name": "caf\\u00e9"}');
    assert.deepEqual(evaluate('json.loads(\'{"a": [1]}\')'), { a: [1] });
    assert.equal(evaluate('len(email) + len(tags) + len(owner)'), 17 + 3 + 2);
    assert.equal(evaluate('sum([c["id"] for c in custom_fields]) + max(1, 5, 3) + min(tags).count("a")'), 6 + 5 + 1);
  });

  test('runtime errors read like Python’s', () => {
    assertPythonError("missing.split('@')", /AttributeError: 'NoneType' object has no attribute 'split'/);
    assertPythonError('tags[5]', /IndexError: list index out of range/);
    assertPythonError("owner['nope']", /KeyError: 'nope'/);
    assertPythonError('[a for a, b in tags]', /ValueError: expected 2 values to unpack, got 1/);
  });

  test('one compiled expression evaluates each record on its own (compile once, run per record)', () => {
    const filter = compileExpression(parseExpression("'tap-' in name or 'target-' in name"), scope());
    const names = ['tap-something', 'my-tap-something', 'target-something', 'not-atap'];
    assert.deepEqual(names.map((name) => filter({ record: { name }, self: null })), [true, true, true, false]);
  });
});
