import type { CompareOperator, Expr, Generator } from './expressionAst.js';
import { ExpressionError, PythonError } from './expressionError.js';
import { type Builtin, FUNCTIONS, METHODS, MODULE_FUNCTIONS, type Method } from './pythonBuiltins.js';
import {
  type Dict,
  add,
  dictKey,
  divide,
  floorDivide,
  isDict,
  iterate,
  modulo,
  multiply,
  power,
  pythonCompare,
  pythonEquals,
  pythonIn,
  setOwn,
  slice,
  subscript,
  toNumber,
  truthy,
  typeName,
} from './pythonValues.js';

/** What an expression's names can refer to, fixed when the stream map is compiled. */
export interface ExpressionScope {
  /** Properties of the input record, usable as bare names (`email.lower()`). */
  readonly properties: ReadonlySet<string>;
  /** Whether `self` is defined: only for a property that the input record has. */
  readonly hasSelf: boolean;
  /** `stream_map_config`, as `config`. */
  readonly config: Readonly<Dict>;
  /** `__stream_name__`: the output stream's name (after `__alias__`). */
  readonly streamName: string;
  /** `__original_stream_name__`: the input stream's name. */
  readonly originalStreamName: string;
}

/** What changes from one record to the next; one object per stream map, reused for every record. */
export interface Env {
  record: Dict;
  self: unknown;
}

export type Evaluate = (env: Env) => unknown;

const NO_KEYWORDS: Readonly<Record<string, unknown>> = Object.freeze({});
const UNAVAILABLE: ReadonlyMap<string, string> = new Map([
  ['fake', "Faker ('fake') is not available in tap-sigma"],
  ['datetime', "the 'datetime' module is not available in tap-sigma"],
  ['json', "'json' can only be used as json.dumps(…) or json.loads(…)"],
]);

/**
 * Compiles a parsed expression into a function of the record, once per stream map.
 * Contract: every name, function and method is resolved here, so an unknown one is an
 *   ExpressionError at start-up; what is left for each record is a tree of closures that reads own
 *   properties only (never a prototype) and calls only the whitelisted builtins. Evaluation throws
 *   PythonError where Python would raise.
 * @example compileExpression(parseExpression('md5(email)'), scope)({ record: { email: 'a@b.c' }, self: null }) // '…hex…'
 * @see parseExpression
 */
export function compileExpression(expr: Expr, scope: ExpressionScope): Evaluate {
  return new Compiler(scope).compile(expr);
}

class Compiler {
  // Comprehension variables: one slot each, in an array this compiled expression owns.
  private readonly locals: unknown[] = [];
  private readonly frames: Map<string, number>[] = [];

  constructor(private readonly scope: ExpressionScope) {}

  compile(expr: Expr): Evaluate {
    switch (expr.kind) {
      case 'constant': {
        const { value } = expr;
        return () => value;
      }
      case 'name':
        return this.name(expr.id, expr.at);
      case 'attribute':
        this.refuseModule(expr);
        throw new ExpressionError(`attribute access (.${expr.name}) is only supported to call a method`, expr.at);
      case 'call':
        return this.call(expr);
      case 'subscript': {
        const object = this.compile(expr.object);
        const index = this.compile(expr.index);
        return (env) => subscript(object(env), index(env));
      }
      case 'slice': {
        const object = this.compile(expr.object);
        const [lower, upper, step] = [expr.lower, expr.upper, expr.step].map((bound) => (bound ? this.compile(bound) : () => null)) as [Evaluate, Evaluate, Evaluate];
        return (env) => slice(object(env), lower(env), upper(env), step(env));
      }
      case 'unary': {
        const operand = this.compile(expr.operand);
        if (expr.op === 'not') return (env) => !truthy(operand(env));
        if (expr.op === '-') return (env) => -toNumber(operand(env), 'unary -', null);
        return (env) => +toNumber(operand(env), 'unary +', null);
      }
      case 'binary':
        return this.binary(expr.op, this.compile(expr.left), this.compile(expr.right));
      case 'boolean': {
        const values = expr.values.map((value) => this.compile(value));
        const isAnd = expr.op === 'and';
        // Python returns the deciding operand itself, not a bool: `a or 'default'`.
        return (env) => {
          let result: unknown;
          for (const value of values) {
            result = value(env);
            if (truthy(result) !== isAnd) return result;
          }
          return result;
        };
      }
      case 'compare':
        return this.compare(expr.left, expr.ops, expr.comparators);
      case 'conditional': {
        const [test, body, orElse] = [this.compile(expr.test), this.compile(expr.body), this.compile(expr.orElse)];
        return (env) => (truthy(test(env)) ? body(env) : orElse(env));
      }
      case 'list':
      case 'tuple': {
        const elements = expr.elements.map((element) => this.compile(element));
        return (env) => elements.map((element) => element(env));
      }
      case 'set': {
        const elements = expr.elements.map((element) => this.compile(element));
        return (env) => {
          const unique: unknown[] = [];
          for (const element of elements) {
            const value = element(env);
            if (!unique.some((seen) => pythonEquals(seen, value))) unique.push(value);
          }
          return unique;
        };
      }
      case 'dict': {
        const keys = expr.keys.map((key) => this.compile(key));
        const values = expr.values.map((value) => this.compile(value));
        return (env) => {
          const dict: Dict = {};
          keys.forEach((key, i) => setOwn(dict, dictKey(key(env)), values[i]!(env)));
          return dict;
        };
      }
      case 'listComprehension':
        return this.listComprehension(expr.element, expr.generators);
      case 'dictComprehension':
        return this.dictComprehension(expr.key, expr.value, expr.generators);
    }
  }

  private name(id: string, at: number): Evaluate {
    for (let i = this.frames.length - 1; i >= 0; i -= 1) {
      const slot = this.frames[i]!.get(id);
      if (slot !== undefined) {
        const locals = this.locals;
        return () => locals[slot];
      }
    }
    const { scope } = this;
    switch (id) {
      case 'record':
      case '_':
        return (env) => env.record;
      case 'self':
        if (!scope.hasSelf) throw new ExpressionError("'self' is only defined for a property that the stream already has", at);
        return (env) => env.self;
      case 'config': {
        const { config } = scope;
        return () => config;
      }
      case '__stream_name__': {
        const { streamName } = scope;
        return () => streamName;
      }
      case '__original_stream_name__': {
        const { originalStreamName } = scope;
        return () => originalStreamName;
      }
    }
    if (scope.properties.has(id)) {
      // Only names that Object.prototype also has need the own-property check; the rest cannot be inherited.
      if (id in Object.prototype) return (env) => (Object.hasOwn(env.record, id) ? (env.record[id] ?? null) : null);
      return (env) => env.record[id] ?? null;
    }
    if (id.startsWith('__')) throw new ExpressionError(`'${id}' is not accessible`, at);
    const unavailable = UNAVAILABLE.get(id);
    if (unavailable !== undefined) throw new ExpressionError(unavailable, at);
    if (FUNCTIONS.has(id)) throw new ExpressionError(`the function '${id}' can only be called, as ${id}(…)`, at);
    throw new ExpressionError(`name '${id}' is not defined (not a property of the stream nor a built-in name)`, at);
  }

  /** `datetime.date.today()` and the like: name the missing module rather than the attribute. */
  private refuseModule(expr: Expr): void {
    let root = expr;
    while (root.kind === 'attribute' || root.kind === 'call') root = root.kind === 'attribute' ? root.object : root.callee;
    if (root.kind === 'name' && !this.isLocal(root.id) && !this.scope.properties.has(root.id) && UNAVAILABLE.has(root.id)) {
      throw new ExpressionError(UNAVAILABLE.get(root.id)!, root.at);
    }
  }

  private isLocal(id: string): boolean {
    return this.frames.some((frame) => frame.has(id));
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): Evaluate {
    const { callee } = expr;
    if (callee.kind === 'name' && !this.isLocal(callee.id)) {
      const builtin = FUNCTIONS.get(callee.id);
      if (builtin === undefined) {
        const known = this.scope.properties.has(callee.id) || ['record', '_', 'self', 'config'].includes(callee.id);
        throw new ExpressionError(known ? `'${callee.id}' is not callable` : `unknown function '${callee.id}()'`, callee.at);
      }
      return this.builtinCall(callee.id, builtin, undefined, expr);
    }
    if (callee.kind !== 'attribute') throw new ExpressionError('only functions and methods can be called', callee.at);
    const { object, name } = callee;
    if (name.startsWith('_')) throw new ExpressionError(`'${name}' is not accessible`, callee.at);
    if (object.kind === 'name' && (object.id === 'json' || object.id === 'datetime') && !this.isLocal(object.id) && !this.scope.properties.has(object.id)) {
      const moduleFunction = MODULE_FUNCTIONS.get(`${object.id}.${name}`);
      if (moduleFunction === undefined) throw new ExpressionError(object.id === 'json' ? `json.${name}() is not available (only json.dumps and json.loads)` : UNAVAILABLE.get('datetime')!, callee.at);
      return this.builtinCall(`${object.id}.${name}`, moduleFunction, undefined, expr);
    }
    const receiver = this.compile(object);
    const method = METHODS.get(name);
    if (method === undefined) throw new ExpressionError(`unknown method '.${name}()'`, callee.at);
    return this.methodCall(name, method, receiver, expr);
  }

  private methodCall(name: string, method: Method, receiver: Evaluate, expr: Extract<Expr, { kind: 'call' }>): Evaluate {
    const signatures = [method.str, method.list, method.dict].filter((b): b is Builtin => b !== undefined);
    const minArgs = Math.min(...signatures.map((b) => b.minArgs));
    const maxArgs = Math.max(...signatures.map((b) => b.maxArgs));
    const pick = (value: unknown): Builtin => {
      const implementation = typeof value === 'string' ? method.str : Array.isArray(value) ? method.list : isDict(value) ? method.dict : undefined;
      if (implementation === undefined) throw new PythonError('AttributeError', `'${typeName(value)}' object has no attribute '${name}'`);
      return implementation;
    };
    return this.invocation(`.${name}()`, { minArgs, maxArgs, keywords: [] }, expr, receiver, pick);
  }

  private builtinCall(name: string, builtin: Builtin, receiver: Evaluate | undefined, expr: Extract<Expr, { kind: 'call' }>): Evaluate {
    return this.invocation(`${name}()`, builtin, expr, receiver, () => builtin);
  }

  /** A call with its arity checked now; `args` is one array per call site, refilled for every record. */
  private invocation(
    label: string,
    signature: Pick<Builtin, 'minArgs' | 'maxArgs' | 'keywords'>,
    expr: Extract<Expr, { kind: 'call' }>,
    receiver: Evaluate | undefined,
    pick: (receiverValue: unknown) => Builtin,
  ): Evaluate {
    const given = expr.args.length;
    if (given < signature.minArgs || given > signature.maxArgs) {
      const expected = signature.minArgs === signature.maxArgs ? `${signature.minArgs}` : signature.maxArgs === Infinity ? `at least ${signature.minArgs}` : `${signature.minArgs} to ${signature.maxArgs}`;
      throw new ExpressionError(`${label} takes ${expected} argument${expected === '1' ? '' : 's'} (${given} given)`, expr.at);
    }
    for (const keyword of expr.keywords) {
      if (!signature.keywords.includes(keyword.name)) throw new ExpressionError(`${label} got an unexpected keyword argument '${keyword.name}'`, keyword.value.at);
    }
    const offset = receiver === undefined ? 0 : 1;
    const argEvaluators = expr.args.map((arg) => this.compile(arg));
    const keywordEvaluators = expr.keywords.map((keyword) => [keyword.name, this.keywordValue(keyword.value)] as const);
    const args: unknown[] = new Array(offset + given);
    return (env) => {
      let implementation: Builtin;
      if (receiver === undefined) {
        implementation = pick(undefined);
      } else {
        args[0] = receiver(env);
        implementation = pick(args[0]);
      }
      for (let i = 0; i < given; i += 1) args[offset + i] = argEvaluators[i]!(env);
      let keywords = NO_KEYWORDS;
      if (keywordEvaluators.length > 0) keywords = Object.fromEntries(keywordEvaluators.map(([name, value]) => [name, value(env)]));
      return implementation.call(args, keywords);
    };
  }

  /** A keyword argument; a built-in function may be passed by name there (`json.dumps(x, default=str)`). */
  private keywordValue(value: Expr): Evaluate {
    if (value.kind === 'name' && FUNCTIONS.has(value.id) && !this.isLocal(value.id) && !this.scope.properties.has(value.id)) {
      const { id } = value;
      return () => id;
    }
    return this.compile(value);
  }

  private binary(op: Extract<Expr, { kind: 'binary' }>['op'], left: Evaluate, right: Evaluate): Evaluate {
    switch (op) {
      case '+':
        return (env) => add(left(env), right(env));
      case '-':
        return (env) => {
          const [a, b] = [left(env), right(env)];
          return toNumber(a, '-', b) - toNumber(b, '-', a);
        };
      case '*':
        return (env) => multiply(left(env), right(env));
      case '/':
        return (env) => divide(left(env), right(env));
      case '//':
        return (env) => floorDivide(left(env), right(env));
      case '%':
        return (env) => modulo(left(env), right(env));
      case '**':
        return (env) => power(left(env), right(env));
    }
  }

  private compare(leftExpr: Expr, ops: readonly CompareOperator[], comparatorExprs: readonly Expr[]): Evaluate {
    const left = this.compile(leftExpr);
    const tests = ops.map(comparison);
    const comparators = comparatorExprs.map((expr) => this.compile(expr));
    if (tests.length === 1) {
      const [test, right] = [tests[0]!, comparators[0]!];
      return (env) => test(left(env), right(env));
    }
    // a < b < c is a < b and b < c, with b evaluated once.
    return (env) => {
      let a = left(env);
      for (let i = 0; i < tests.length; i += 1) {
        const b = comparators[i]!(env);
        if (!tests[i]!(a, b)) return false;
        a = b;
      }
      return true;
    };
  }

  private listComprehension(elementExpr: Expr, generators: readonly Generator[]): Evaluate {
    return this.withGenerators(generators, () => {
      const element = this.compile(elementExpr);
      return (env, out: unknown[]) => out.push(element(env));
    }, () => [] as unknown[]);
  }

  private dictComprehension(keyExpr: Expr, valueExpr: Expr, generators: readonly Generator[]): Evaluate {
    return this.withGenerators(generators, () => {
      const key = this.compile(keyExpr);
      const value = this.compile(valueExpr);
      return (env, out: Dict) => setOwn(out, dictKey(key(env)), value(env));
    }, () => ({}) as Dict);
  }

  /**
   * Compiles nested `for … in … if …` clauses around a body that adds to the result. Each clause's
   * iterable sees only the variables of the clauses before it, as in Python.
   */
  private withGenerators<T>(generators: readonly Generator[], compileBody: () => (env: Env, out: T) => unknown, empty: () => T): Evaluate {
    type Loop = (env: Env, out: T) => void;
    const compileFrom = (index: number): Loop => {
      if (index === generators.length) {
        const body = compileBody();
        return (env, out) => void body(env, out);
      }
      const generator = generators[index]!;
      const iterable = this.compile(generator.iterable);
      const frame = new Map<string, number>();
      for (const target of generator.targets) {
        if (target.startsWith('__')) throw new ExpressionError(`'${target}' cannot be a loop variable`, generator.iterable.at);
        frame.set(target, this.locals.push(null) - 1);
      }
      this.frames.push(frame);
      const conditions = generator.conditions.map((condition) => this.compile(condition));
      const inner = compileFrom(index + 1);
      this.frames.pop();
      const slots = generator.targets.map((target) => frame.get(target)!);
      const { locals } = this;
      const { unpack } = generator;
      return (env, out) => {
        for (const item of iterate(iterable(env))) {
          if (unpack) {
            const parts = iterate(item);
            if (parts.length !== slots.length) throw new PythonError('ValueError', `expected ${slots.length} values to unpack, got ${parts.length}`);
            slots.forEach((slot, i) => (locals[slot] = parts[i]));
          } else {
            locals[slots[0]!] = item;
          }
          if (conditions.every((condition) => truthy(condition(env)))) inner(env, out);
        }
      };
    };
    const loop = compileFrom(0);
    return (env) => {
      const out = empty();
      loop(env, out);
      return out;
    };
  }
}

function comparison(op: CompareOperator): (a: unknown, b: unknown) => boolean {
  switch (op) {
    case '==':
      return pythonEquals;
    case '!=':
      return (a, b) => !pythonEquals(a, b);
    case '<':
      return (a, b) => pythonCompare(a, b, op) < 0;
    case '<=':
      return (a, b) => pythonCompare(a, b, op) <= 0;
    case '>':
      return (a, b) => pythonCompare(a, b, op) > 0;
    case '>=':
      return (a, b) => pythonCompare(a, b, op) >= 0;
    case 'in':
      return (a, b) => pythonIn(a, b);
    case 'not in':
      return (a, b) => !pythonIn(a, b);
    case 'is':
      return (a, b) => (a ?? null) === (b ?? null);
    case 'is not':
      return (a, b) => (a ?? null) !== (b ?? null);
  }
}
