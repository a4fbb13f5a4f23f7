import type { JsonSchema } from '../streams/streamDefinition.js';
import type { Expr } from './expressionAst.js';
import { type Builtin, FUNCTIONS, METHODS, MODULE_FUNCTIONS, type ReturnType } from './pythonBuiltins.js';

export interface TypeContext {
  /** The input schema of a record property, when the expression names one. */
  readonly property: (name: string) => JsonSchema | undefined;
  /** The input schema of the mapped property, for `self`. */
  readonly self: JsonSchema | undefined;
  /** The whole input schema, for `record` and `_`. */
  readonly record: JsonSchema;
}

const simple = (type: string): JsonSchema => ({ type });
const NUMERIC = new Set(['integer', 'number']);

/**
 * The JSON Schema of an expression's value, read from its syntax once per stream, or undefined when it
 * cannot be told. It covers what the SDK's text rules cover (an expression starting with `str(`,
 * `int(`, `float(`, `bool(` or `json.dumps(`, a quoted literal, a property passed through, `record`)
 * and goes further where the SDK falls back to a string: hashes, string methods and concatenations are
 * strings, comparisons and `not` are booleans, arithmetic follows its operands' types, a conditional
 * is the union of its branches.
 * @example inferSchema(parseExpression('count < 20'), context) // { type: 'boolean' }
 */
export function inferSchema(expr: Expr, context: TypeContext): JsonSchema | undefined {
  switch (expr.kind) {
    case 'constant':
      if (expr.value === null) return simple('null');
      if (typeof expr.value === 'boolean') return simple('boolean');
      if (typeof expr.value === 'number') return simple(expr.isFloat ? 'number' : 'integer');
      return simple('string');
    case 'name':
      if (expr.id === 'record' || expr.id === '_') return context.record;
      if (expr.id === 'self') return context.self;
      if (expr.id === '__stream_name__' || expr.id === '__original_stream_name__') return simple('string');
      return context.property(expr.id);
    case 'subscript':
      if (expr.object.kind === 'name' && (expr.object.id === 'record' || expr.object.id === '_') && expr.index.kind === 'constant' && typeof expr.index.value === 'string') {
        return context.property(expr.index.value);
      }
      return elementOf(inferSchema(expr.object, context));
    case 'call':
      return callSchema(expr, context);
    case 'unary':
      if (expr.op === 'not') return simple('boolean');
      return numericOf([inferSchema(expr.operand, context)]);
    case 'compare':
      return simple('boolean');
    case 'boolean':
      return expr.values.map((value) => inferSchema(value, context)).reduce(union);
    case 'conditional':
      return union(inferSchema(expr.body, context), inferSchema(expr.orElse, context));
    case 'binary':
      return binarySchema(expr.op, inferSchema(expr.left, context), inferSchema(expr.right, context));
    case 'slice':
      return typeName(inferSchema(expr.object, context)) === 'string' ? simple('string') : undefined;
    case 'list':
    case 'tuple':
    case 'set':
    case 'listComprehension':
      return simple('array');
    case 'dict':
    case 'dictComprehension':
      return simple('object');
    case 'attribute':
      return undefined;
  }
}

function callSchema(expr: Extract<Expr, { kind: 'call' }>, context: TypeContext): JsonSchema | undefined {
  const { callee } = expr;
  let builtins: readonly Builtin[] = [];
  if (callee.kind === 'name') {
    builtins = [FUNCTIONS.get(callee.id)].filter((b): b is Builtin => b !== undefined);
  } else if (callee.kind === 'attribute') {
    const moduleFunction = callee.object.kind === 'name' ? MODULE_FUNCTIONS.get(`${callee.object.id}.${callee.name}`) : undefined;
    const method = METHODS.get(callee.name);
    builtins = moduleFunction ? [moduleFunction] : method ? [method.str, method.list, method.dict].filter((b): b is Builtin => b !== undefined) : [];
  }
  const returns = new Set(builtins.map((b) => (typeof b.returns === 'function' ? b.returns(expr.args.length) : b.returns)));
  if (returns.size !== 1) return undefined;
  const [type] = returns as Set<ReturnType>;
  if (callee.kind === 'attribute' && callee.name === 'split') return { type: 'array', items: simple('string') };
  switch (type) {
    case 'unknown':
      return undefined;
    case 'numeric':
      return numericOf(expr.args.map((arg) => inferSchema(arg, context)));
    default:
      return simple(type!);
  }
}

function binarySchema(op: string, left: JsonSchema | undefined, right: JsonSchema | undefined): JsonSchema | undefined {
  const [a, b] = [typeName(left), typeName(right)];
  if (op === '+' && a === 'string' && b === 'string') return simple('string');
  if ((op === '+' && a === 'array' && b === 'array') || (op === '*' && (a === 'array' || b === 'array'))) return simple('array');
  if (op === '*' && (a === 'string' || b === 'string')) return simple('string');
  if (op === '/') return a !== undefined && b !== undefined && NUMERIC.has(a) && NUMERIC.has(b) ? simple('number') : undefined;
  return numericOf([left, right]);
}

/** What indexing a value of this schema gives: a list's items, a string's characters. */
function elementOf(container: JsonSchema | undefined): JsonSchema | undefined {
  const type = typeName(container);
  if (type === 'string') return simple('string');
  if (type === 'array' && container?.items !== undefined && !Array.isArray(container.items)) return container.items;
  return undefined;
}

/** integer when every operand is an integer, number when they are all numbers, else unknown. */
function numericOf(operands: readonly (JsonSchema | undefined)[]): JsonSchema | undefined {
  const types = operands.map(typeName);
  if (types.length === 0 || !types.every((type) => type !== undefined && NUMERIC.has(type))) return undefined;
  return simple(types.every((type) => type === 'integer') ? 'integer' : 'number');
}

/** The one non-null JSON type a schema allows, if it is that simple. */
function typeName(schema: JsonSchema | undefined): string | undefined {
  if (schema?.type === undefined) return undefined;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type) => type !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/** A schema for either value: plain types merge, a null branch makes the other nullable. */
function union(a: JsonSchema | undefined, b: JsonSchema | undefined): JsonSchema | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  const plain = (schema: JsonSchema): boolean => Object.keys(schema).every((key) => key === 'type');
  const types = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]);
  if (plain(a) && plain(b) && a.type !== undefined && b.type !== undefined) {
    const merged = new Set([...types(a), ...types(b)]);
    if (merged.has('integer') && merged.has('number')) merged.delete('integer');
    return { type: merged.size === 1 ? [...merged][0]! : [...merged] };
  }
  if (plain(a) && types(a).every((type) => type === 'null')) return b;
  if (plain(b) && types(b).every((type) => type === 'null')) return a;
  return undefined;
}
