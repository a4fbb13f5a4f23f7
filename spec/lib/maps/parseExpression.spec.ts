import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr } from '../../../lib/maps/expressionAst.js';
import { ExpressionError } from '../../../lib/maps/expressionError.js';
import { parseExpression } from '../../../lib/maps/parseExpression.js';

/** The tree as a compact Lisp-like string, so precedence is visible in one line. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case 'constant':
      return JSON.stringify(expr.value);
    case 'name':
      return expr.id;
    case 'attribute':
      return `${shape(expr.object)}.${expr.name}`;
    case 'call':
      return `${shape(expr.callee)}(${[...expr.args.map(shape), ...expr.keywords.map((k) => `${k.name}=${shape(k.value)}`)].join(' ')})`;
    case 'subscript':
      return `${shape(expr.object)}[${shape(expr.index)}]`;
    case 'slice':
      return `${shape(expr.object)}[${[expr.lower, expr.upper, expr.step].map((part) => (part ? shape(part) : '')).join(':')}]`;
    case 'unary':
      return `(${expr.op} ${shape(expr.operand)})`;
    case 'binary':
      return `(${expr.op} ${shape(expr.left)} ${shape(expr.right)})`;
    case 'boolean':
      return `(${expr.op} ${expr.values.map(shape).join(' ')})`;
    case 'compare':
      return `(${[shape(expr.left), ...expr.ops.flatMap((op, i) => [op, shape(expr.comparators[i]!)])].join(' ')})`;
    case 'conditional':
      return `(if ${shape(expr.test)} ${shape(expr.body)} ${shape(expr.orElse)})`;
    case 'list':
    case 'tuple':
    case 'set':
      return `${expr.kind}[${expr.elements.map(shape).join(' ')}]`;
    case 'dict':
      return `{${expr.keys.map((key, i) => `${shape(key)}:${shape(expr.values[i]!)}`).join(' ')}}`;
    case 'listComprehension':
      return `[${shape(expr.element)} ${expr.generators.map((g) => `for ${g.targets.join(',')} in ${shape(g.iterable)}${g.conditions.map((c) => ` if ${shape(c)}`).join('')}`).join(' ')}]`;
    case 'dictComprehension':
      return `{${shape(expr.key)}:${shape(expr.value)} ${expr.generators.map((g) => `for ${g.targets.join(',')} in ${shape(g.iterable)}`).join(' ')}}`;
  }
}

const parsed = (source: string): string => shape(parseExpression(source));

function assertSyntaxError(source: string, problem: RegExp): void {
  assert.throws(() => parseExpression(source), (error: unknown) => error instanceof ExpressionError && problem.test(error.problem));
}

describe('parseExpression (Python expression syntax)', () => {
  test('parses the SDK documentation examples', () => {
    assert.equal(parsed("owner_email.split('@')[-1]"), 'owner_email.split("@")[(- 1)]');
    assert.equal(parsed("md5(config['hash_seed'] + owner_email)"), 'md5((+ config["hash_seed"] owner_email))');
    assert.equal(parsed("email.endswith('@example.com')"), 'email.endswith("@example.com")');
    assert.equal(parsed("__stream_name__ + '_v2'"), '(+ __stream_name__ "_v2")');
    assert.equal(parsed("[f for f in fields if f['key'] != 'age']"), '[f for f in fields if (f["key"] != "age")]');
    assert.equal(parsed('bool(status_value) if status_value else None'), '(if status_value bool(status_value) null)');
    assert.equal(parsed('dict([(x["id"], x["value"]) for x in custom_fields]).get(2)'), 'dict([tuple[x["id"] x["value"]] for x in custom_fields]).get(2)');
    assert.equal(parsed('json.dumps(user, default=str)'), 'json.dumps(user default=str)');
  });

  test('not binds looser than comparisons, and and looser than not, or loosest', () => {
    assert.equal(parsed('not count > 5'), '(not (count > 5))');
    assert.equal(parsed('a or b and not c'), '(or a (and b (not c)))');
    assert.equal(parsed("'tap-' in name or 'target-' in name"), '(or ("tap-" in name) ("target-" in name))');
  });

  test('reads the two-word operators and chained comparisons', () => {
    assert.equal(parsed('x not in y'), '(x not in y)');
    assert.equal(parsed('x is not None'), '(x is not null)');
    assert.equal(parsed('0 < count <= 10'), '(0 < count <= 10)');
  });

  test('arithmetic follows Python precedence: ** is right-associative and beats unary minus', () => {
    assert.equal(parsed('1 + 2 * 3 - 4'), '(- (+ 1 (* 2 3)) 4)');
    assert.equal(parsed('-2 ** 2'), '(- (** 2 2))');
    assert.equal(parsed('2 ** 3 ** 2'), '(** 2 (** 3 2))');
    assert.equal(parsed('a // b % c'), '(% (// a b) c)');
  });

  test('a conditional nests to the right', () => {
    assert.equal(parsed("'a' if x else 'b' if y else 'c'"), '(if x "a" (if y "b" "c"))');
  });

  test('reads slices, tuples, sets, dicts and dict comprehensions', () => {
    assert.equal(parsed('s[1:]'), 's[1::]');
    assert.equal(parsed('s[::-1]'), 's[::(- 1)]');
    assert.equal(parsed('(1,)'), 'tuple[1]');
    assert.equal(parsed("x in {'a', 'b'}"), '(x in set["a" "b"])');
    assert.equal(parsed("{'k': v}"), '{"k":v}');
    assert.equal(parsed('{k: v for k, v in d.items()}'), '{k:v for k,v in d.items()}');
  });

  test('reads Python literals: True/False/None, escapes, adjacent strings, raw strings, number forms', () => {
    assert.equal(parsed('True and not False or None'), '(or (and true (not false)) null)');
    assert.equal(parsed("'a\\tb' \"c\" r'\\d'"), JSON.stringify('a\tbc\\d'));
    assert.equal(parsed("'\\u00e9\\x41'"), JSON.stringify('éA'));
    assert.equal(parsed('1_000 + 1.5e3 + .5'), '(+ (+ 1000 1500) 0.5)');
    const [integer, float] = [parseExpression('2'), parseExpression('2.0')];
    assert.ok(integer.kind === 'constant' && !integer.isFloat && float.kind === 'constant' && float.isFloat);
  });

  test('refuses what Python or the evaluator does not accept, with the reason and the offset', () => {
    assertSyntaxError('this should raise an er!ror', /unexpected/);
    assertSyntaxError('a = 1', /assignment is not supported/);
    assertSyntaxError('lambda x: x', /lambda is not supported/);
    assertSyntaxError("f'{x}'", /f-strings are not supported/);
    assertSyntaxError('a & b', /operator '&' is not supported/);
    assertSyntaxError("'open", /unterminated string/);
    assertSyntaxError('md5(', /unexpected end/);
    assertSyntaxError('import os', /unexpected keyword 'import'/);
    assertSyntaxError('f(*args)', /\*args/);
    assertSyntaxError('01', /leading zeros/);
    assert.throws(() => parseExpression('count >'), (error: unknown) => error instanceof ExpressionError && error.at === 7);
  });
});
