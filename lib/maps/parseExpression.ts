import type { CompareOperator, Expr, Generator, Keyword } from './expressionAst.js';
import { ExpressionError } from './expressionError.js';
import { type Token, tokenize } from './tokenize.js';

// Python keywords that cannot name anything in an expression (statements, lambda, await…).
const RESERVED = new Set(['as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'except', 'finally', 'from', 'global', 'import', 'lambda', 'nonlocal', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const KEYWORDS = new Set([...RESERVED, 'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'None', 'True', 'False']);
// Maps, not object literals: a user's name must never find an inherited property such as 'constructor'.
const CONSTANTS: ReadonlyMap<string, null | boolean> = new Map([
  ['None', null],
  ['True', true],
  ['False', false],
]);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const UNSUPPORTED_OPERATORS = new Set(['<<', '>>', '&', '|', '^', '~', '@']);

/**
 * Parses one stream map expression with Python's grammar and precedence (the SDK evaluates
 * expressions with simpleeval, which parses them with Python's own `ast`): conditional `a if c else b`,
 * `or`/`and`/`not` (which binds looser than comparisons), chained comparisons, `in`/`not in`/`is`,
 * arithmetic with `//`, `%` and `**`, calls with keyword arguments, attributes, subscripts and slices,
 * list/tuple/dict/set displays and list/dict comprehensions.
 * Contract: returns the tree, or throws ExpressionError naming the problem and its offset. It only
 *   parses; nothing is evaluated.
 * @example parseExpression("email.split('@')[-1]") // subscript(call(attribute(name email, split), ['@']), -1)
 * @see compileExpression
 */
export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Expr {
    const body = this.orTest();
    if (!this.acceptName('if')) return body;
    const test = this.orTest();
    if (!this.acceptName('else')) throw this.error("expected 'else' in the conditional expression");
    return { kind: 'conditional', test, body, orElse: this.expression(), at: body.at };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw this.error(`unexpected ${describe(token)}`);
  }

  private orTest(): Expr {
    return this.booleanChain('or', () => this.andTest());
  }

  private andTest(): Expr {
    return this.booleanChain('and', () => this.notTest());
  }

  private booleanChain(op: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    const values = [first];
    while (this.acceptName(op)) values.push(operand());
    return values.length === 1 ? first : { kind: 'boolean', op, values, at: first.at };
  }

  private notTest(): Expr {
    const token = this.peek();
    if (this.acceptName('not')) return { kind: 'unary', op: 'not', operand: this.notTest(), at: token.at };
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.arithmetic();
    const ops: CompareOperator[] = [];
    const comparators: Expr[] = [];
    for (;;) {
      const op = this.compareOperator();
      if (op === undefined) break;
      ops.push(op);
      comparators.push(this.arithmetic());
    }
    return ops.length === 0 ? left : { kind: 'compare', left, ops, comparators, at: left.at };
  }

  private compareOperator(): CompareOperator | undefined {
    const token = this.peek();
    if (token.kind === 'op' && COMPARISONS.has(token.value)) {
      this.index += 1;
      return token.value as CompareOperator;
    }
    if (this.acceptName('in')) return 'in';
    if (this.acceptName('is')) return this.acceptName('not') ? 'is not' : 'is';
    if (token.kind === 'name' && token.value === 'not') {
      const next = this.tokens[this.index + 1];
      if (next?.kind === 'name' && next.value === 'in') {
        this.index += 2;
        return 'not in';
      }
    }
    return undefined;
  }

  private arithmetic(): Expr {
    let left = this.term();
    for (;;) {
      const op = this.acceptOp('+', '-');
      if (op === undefined) break;
      left = { kind: 'binary', op, left, right: this.term(), at: left.at };
    }
    this.refuseUnsupportedOperator();
    return left;
  }

  private term(): Expr {
    let left = this.factor();
    for (;;) {
      const op = this.acceptOp('*', '/', '//', '%');
      if (op === undefined) break;
      left = { kind: 'binary', op, left, right: this.factor(), at: left.at };
    }
    return left;
  }

  private factor(): Expr {
    const token = this.peek();
    const op = this.acceptOp('-', '+');
    if (op !== undefined) return { kind: 'unary', op, operand: this.factor(), at: token.at };
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.acceptOp('**') === undefined) return base;
    // Right-associative and tighter than a unary minus on its left: -2 ** 2 == -(2 ** 2).
    return { kind: 'binary', op: '**', left: base, right: this.factor(), at: base.at };
  }

  private primary(): Expr {
    let expr = this.atom();
    for (;;) {
      const token = this.peek();
      if (this.acceptOp('.')) {
        const name = this.next();
        if (name.kind !== 'name' || KEYWORDS.has(name.value)) throw this.error('expected an attribute name after "."', name);
        expr = { kind: 'attribute', object: expr, name: name.value, at: name.at };
      } else if (this.acceptOp('(')) {
        expr = this.call(expr, token.at);
      } else if (this.acceptOp('[')) {
        expr = this.subscript(expr, token.at);
      } else {
        return expr;
      }
    }
  }

  private call(callee: Expr, at: number): Expr {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    while (!this.acceptOp(')')) {
      if (this.peekOp('*') || this.peekOp('**')) throw this.error('*args and **kwargs are not supported');
      const token = this.peek();
      const following = this.tokens[this.index + 1];
      if (token.kind === 'name' && following?.kind === 'op' && following.value === '=') {
        this.index += 2;
        keywords.push({ name: token.value, value: this.expression() });
      } else {
        if (keywords.length > 0) throw this.error('positional argument follows keyword argument');
        const arg = this.expression();
        if (this.peekName('for')) {
          args.push(this.closedComprehension(arg, ')'));
          break;
        }
        args.push(arg);
      }
      if (!this.acceptOp(',')) {
        this.expectOp(')');
        break;
      }
    }
    return { kind: 'call', callee, args, keywords, at };
  }

  private subscript(object: Expr, at: number): Expr {
    const bound = (): Expr | undefined => (this.peekOp(':') || this.peekOp(']') ? undefined : this.expression());
    const lower = bound();
    if (!this.acceptOp(':')) {
      if (lower === undefined) throw this.error('expected an index');
      const index = this.peekOp(',') ? this.tupleAfter(lower, ']') : lower;
      this.expectOp(']');
      return { kind: 'subscript', object, index, at };
    }
    const upper = bound();
    const step = this.acceptOp(':') ? bound() : undefined;
    this.expectOp(']');
    return { kind: 'slice', object, lower, upper, step, at };
  }

  private atom(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'constant', value: token.value, isFloat: token.isFloat, at: token.at };
      case 'string': {
        let value = token.value;
        // Adjacent literals concatenate, as in Python: 'a' "b" == 'ab'.
        while (this.peek().kind === 'string') value += (this.next() as { value: string }).value;
        return { kind: 'constant', value, isFloat: false, at: token.at };
      }
      case 'name':
        return this.nameAtom(token.value, token.at, token);
      case 'op':
        if (token.value === '(') return this.parenthesized(token.at);
        if (token.value === '[') return this.listDisplay(token.at);
        if (token.value === '{') return this.braceDisplay(token.at);
        throw this.error(`unexpected ${describe(token)}`, token);
      case 'end':
        throw this.error('unexpected end of expression', token);
    }
  }

  private nameAtom(name: string, at: number, token: Token): Expr {
    if (CONSTANTS.has(name)) return { kind: 'constant', value: CONSTANTS.get(name)!, isFloat: false, at };
    if (name === 'lambda') throw this.error('lambda is not supported', token);
    if (KEYWORDS.has(name)) throw this.error(`unexpected keyword '${name}'`, token);
    return { kind: 'name', id: name, at };
  }

  private parenthesized(at: number): Expr {
    if (this.acceptOp(')')) return { kind: 'tuple', elements: [], at };
    const first = this.expression();
    // A generator expression; evaluated eagerly, as a list.
    if (this.peekName('for')) return this.closedComprehension(first, ')');
    if (this.acceptOp(')')) return first;
    const tuple = this.tupleAfter(first, ')');
    this.expectOp(')');
    return tuple;
  }

  /** The rest of a tuple whose first element is parsed and whose next token is a comma. */
  private tupleAfter(first: Expr, closing: string): Expr {
    return { kind: 'tuple', elements: this.elementsAfter(first, closing), at: first.at };
  }

  /** Comma-separated elements after the first, up to (not including) `closing`; a trailing comma is allowed. */
  private elementsAfter(first: Expr, closing: string): Expr[] {
    const elements = [first];
    while (this.acceptOp(',')) {
      if (this.peekOp(closing)) break;
      elements.push(this.expression());
    }
    return elements;
  }

  private closedComprehension(element: Expr, closing: string): Expr {
    const comprehension = this.comprehensionOf(element);
    this.expectOp(closing);
    return comprehension;
  }

  private listDisplay(at: number): Expr {
    if (this.acceptOp(']')) return { kind: 'list', elements: [], at };
    const first = this.expression();
    if (this.peekName('for')) return this.closedComprehension(first, ']');
    const elements = this.restOfSequence(first, ']');
    return { kind: 'list', elements, at };
  }

  private braceDisplay(at: number): Expr {
    if (this.acceptOp('}')) return { kind: 'dict', keys: [], values: [], at };
    if (this.peekOp('**')) throw this.error('**kwargs are not supported');
    const first = this.expression();
    if (!this.acceptOp(':')) {
      if (this.peekName('for')) throw this.error('set comprehensions are not supported');
      return { kind: 'set', elements: this.restOfSequence(first, '}'), at };
    }
    const firstValue = this.expression();
    if (this.peekName('for')) {
      const generators = this.generators();
      this.expectOp('}');
      return { kind: 'dictComprehension', key: first, value: firstValue, generators, at };
    }
    const keys = [first];
    const values = [firstValue];
    while (this.acceptOp(',')) {
      if (this.peekOp('}')) break;
      keys.push(this.expression());
      this.expectOp(':');
      values.push(this.expression());
    }
    this.expectOp('}');
    return { kind: 'dict', keys, values, at };
  }

  private restOfSequence(first: Expr, closing: string): Expr[] {
    const elements = this.elementsAfter(first, closing);
    this.expectOp(closing);
    return elements;
  }

  private comprehensionOf(element: Expr): Expr {
    return { kind: 'listComprehension', element, generators: this.generators(), at: element.at };
  }

  private generators(): Generator[] {
    const generators: Generator[] = [];
    while (this.acceptName('for')) {
      const targets = [this.targetName()];
      let unpack = false;
      while (this.acceptOp(',')) {
        unpack = true;
        targets.push(this.targetName());
      }
      if (!this.acceptName('in')) throw this.error("expected 'in' in the comprehension");
      const iterable = this.orTest();
      const conditions: Expr[] = [];
      while (this.acceptName('if')) conditions.push(this.orTest());
      generators.push({ targets, unpack, iterable, conditions });
    }
    return generators;
  }

  private targetName(): string {
    const token = this.next();
    if (token.kind !== 'name' || KEYWORDS.has(token.value)) throw this.error('expected a name after "for"', token);
    return token.value;
  }

  private refuseUnsupportedOperator(): void {
    const token = this.peek();
    if (token.kind === 'op' && UNSUPPORTED_OPERATORS.has(token.value)) throw this.error(`operator '${token.value}' is not supported`);
    if (token.kind === 'op' && (token.value === '=' || token.value === ':=')) throw this.error('assignment is not supported (use == to compare)');
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private peekOp(value: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.value === value;
  }

  private peekName(value: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.value === value;
  }

  private acceptOp<T extends string>(...values: T[]): T | undefined {
    const token = this.peek();
    if (token.kind !== 'op' || !(values as string[]).includes(token.value)) return undefined;
    this.index += 1;
    return token.value as T;
  }

  private acceptName(value: string): boolean {
    if (!this.peekName(value)) return false;
    this.index += 1;
    return true;
  }

  private expectOp(value: string): void {
    if (this.acceptOp(value) === undefined) throw this.error(`expected '${value}' but found ${describe(this.peek())}`);
  }

  private error(problem: string, token: Token = this.peek()): ExpressionError {
    return new ExpressionError(problem, token.at);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return 'a string';
    case 'number':
      return `number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}

