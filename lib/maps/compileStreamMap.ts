import { InputError } from '../errors.js';
import { createFlattener } from '../flattening/createFlattener.js';
import type { FlatteningOptions } from '../flattening/flatteningOptions.js';
import type { JsonSchema, SigmaRecord } from '../streams/streamDefinition.js';
import { type Env, type Evaluate, type ExpressionScope, compileExpression } from './compileExpression.js';
import type { Expr } from './expressionAst.js';
import { ExpressionError, PythonError, expressionInputError } from './expressionError.js';
import { inferSchema } from './inferSchema.js';
import { MapEvaluationError } from './mapEvaluationError.js';
import type { MappedStream, StreamShape } from './mappedStream.js';
import { parseExpression } from './parseExpression.js';
import { type Dict, setOwn, truthy } from './pythonValues.js';
import type { StreamMapEntry } from './readStreamMaps.js';
import { withNull } from '../streams/withNull.js';

export interface StreamMapContext {
  readonly config: Readonly<Dict>;
  readonly flattening: FlatteningOptions | undefined;
}

export interface CompiledStreamMap {
  readonly stream: MappedStream;
  /** The map's `__filter__` on an input record; undefined when it has none. */
  readonly passes: ((record: SigmaRecord) => boolean) | undefined;
}

type MapEntry = Extract<StreamMapEntry, { kind: 'map' }>;

interface ComputedProperty {
  readonly name: string;
  readonly evaluate: Evaluate;
  /** Whether `self` is the input's value of this property. */
  readonly hasSelf: boolean;
}

/**
 * One stream map applied to one input stream, as the SDK's CustomStreamMap: `__filter__` first, then
 * the record (all of it, or only its key properties with `"__else__": null`), with removed properties
 * dropped and expressions evaluated on the input record, new properties last; then flattening.
 * Contract: everything that can be checked without records is checked here, as a one-line InputError:
 *   expressions, names, functions, removing a key property, key properties missing from the result.
 *   `map` throws MapEvaluationError when an expression fails on a record, as the SDK does.
 * @see compileStreamMaps
 */
export function compileStreamMap(input: StreamShape, outputName: string, entry: MapEntry, context: StreamMapContext): CompiledStreamMap {
  const label = `stream_maps.${entry.key}`;
  const pathOf = (name: string): string => `${label}.${name}${entry.key === input.name ? '' : ` (stream '${input.name}')`}`;
  const inputProperties = input.schema.properties ?? {};
  const has = (name: string): boolean => Object.hasOwn(inputProperties, name);
  const baseScope: ExpressionScope = { properties: new Set(Object.keys(inputProperties)), hasSelf: false, config: context.config, streamName: outputName, originalStreamName: input.name };
  const compile = (name: string, source: string, scope: ExpressionScope): { ast: Expr; evaluate: Evaluate } => {
    try {
      const ast = parseExpression(source);
      return { ast, evaluate: compileExpression(ast, scope) };
    } catch (error) {
      if (error instanceof ExpressionError) throw expressionInputError(pathOf(name), source, error);
      throw error;
    }
  };

  const keyProperties = entry.keyProperties === undefined ? input.keyProperties : (entry.keyProperties ?? []);
  const filter = entry.filter === undefined ? undefined : compile('__filter__', entry.filter, baseScope).evaluate;

  // The output schema, built in the SDK's order: input properties (or only the keys), then each mapping.
  const properties: Record<string, JsonSchema> = {};
  const unchanged = new Set<string>();
  for (const name of entry.onlyMapped ? keyProperties.filter(has) : Object.keys(inputProperties)) {
    setOwn(properties, name, inputProperties[name]);
    unchanged.add(name);
  }
  const removed = new Set<string>();
  const computed: ComputedProperty[] = [];
  for (const { name, expression } of entry.properties) {
    unchanged.delete(name);
    if (expression === null) {
      if (keyProperties.includes(name)) {
        throw new InputError(`config: ${pathOf(name)}: removing key property '${name}' is not permitted; use __key_properties__ to name new key properties, or null for none`);
      }
      delete properties[name];
      removed.add(name);
      continue;
    }
    const hasSelf = has(name);
    const { ast, evaluate } = compile(name, expression, { ...baseScope, hasSelf });
    const inferred = inferSchema(ast, { property: (p) => (has(p) ? inputProperties[p] : undefined), self: hasSelf ? inputProperties[name] : undefined, record: input.schema });
    // As the SDK: a type that cannot be read from the expression stays the property's own type; a new
    // property then gets the permissive schema (the SDK would call it a string).
    setOwn(properties, name, withNull(inferred ?? (hasSelf ? inputProperties[name]! : {})));
    computed.push({ name, evaluate, hasSelf });
  }

  const { properties: _input, required, ...rest } = input.schema;
  let schema: JsonSchema = { ...rest, properties };
  const kept = (required ?? []).filter((name) => unchanged.has(name));
  // The SDK starts an `__else__: null` schema afresh, without `required`.
  if (required !== undefined && (!entry.onlyMapped || kept.length > 0)) schema.required = kept;
  const missingKey = keyProperties.find((key) => !Object.hasOwn(properties, key));
  if (missingKey !== undefined) {
    throw new InputError(`config: ${label}: key property '${missingKey}' of stream '${outputName}' is not in the mapped stream; keep or compute it, or change __key_properties__`);
  }
  let replicationKey = input.replicationKey !== undefined && Object.hasOwn(properties, input.replicationKey) ? input.replicationKey : undefined;

  let flatten: ((record: SigmaRecord) => SigmaRecord) | undefined;
  if (context.flattening !== undefined) {
    const flattener = createFlattener(schema, context.flattening.maxDepth, { ...context.flattening, stream: outputName, everyColumn: true });
    schema = flattener.schema;
    flatten = flattener.flatten;
    checkFlattenedKeys(schema, keyProperties, outputName);
    if (replicationKey !== undefined && !Object.hasOwn(schema.properties ?? {}, replicationKey)) replicationKey = undefined;
  }

  const env: Env = { record: {}, self: null };
  const fail = (where: string, error: unknown): MapEvaluationError => new MapEvaluationError(outputName, where, describeFailure(error));
  const passes =
    filter === undefined
      ? undefined
      : (record: SigmaRecord): boolean => {
          env.record = record;
          try {
            return truthy(filter(env));
          } catch (error) {
            throw fail('__filter__', error);
          }
        };
  const includeAll = !entry.onlyMapped;
  const count = computed.length;

  const map = (record: SigmaRecord): SigmaRecord | undefined => {
    if (passes !== undefined && !passes(record)) return undefined;
    env.record = record;
    const out: SigmaRecord = {};
    if (includeAll) {
      for (const key in record) if (!removed.has(key)) setOwn(out, key, record[key]);
    } else {
      for (const key of keyProperties) if (Object.hasOwn(record, key)) setOwn(out, key, record[key]);
    }
    let i = 0;
    try {
      for (; i < count; i += 1) {
        const property = computed[i]!;
        env.self = property.hasSelf && Object.hasOwn(record, property.name) ? (record[property.name] ?? null) : null;
        setOwn(out, property.name, property.evaluate(env));
      }
    } catch (error) {
      throw fail(`property '${computed[i]!.name}'`, error);
    }
    return flatten === undefined ? out : flatten(out);
  };

  return { stream: { name: outputName, source: input.name, schema, keyProperties, replicationKey, map }, passes };
}

/** The SCHEMA and records of a stream that no map changes, flattened when flattening is on. */
export function unmappedStream(input: StreamShape, flattening: FlatteningOptions | undefined): MappedStream {
  const base = { name: input.name, source: input.name, keyProperties: input.keyProperties, replicationKey: input.replicationKey };
  if (flattening === undefined) return { ...base, schema: input.schema, map: (record) => record };
  const flattener = createFlattener(input.schema, flattening.maxDepth, { ...flattening, stream: input.name, everyColumn: true });
  checkFlattenedKeys(flattener.schema, input.keyProperties, input.name);
  const replicationKey = input.replicationKey !== undefined && Object.hasOwn(flattener.schema.properties ?? {}, input.replicationKey) ? input.replicationKey : undefined;
  return { ...base, replicationKey, schema: flattener.schema, map: flattener.flatten };
}

function checkFlattenedKeys(schema: JsonSchema, keyProperties: readonly string[], stream: string): void {
  const lost = keyProperties.find((key) => !Object.hasOwn(schema.properties ?? {}, key));
  if (lost !== undefined) throw new InputError(`config: flattening stream '${stream}' leaves no column named after its key property '${lost}'; map the key to a top-level property with stream_maps`);
}

function describeFailure(error: unknown): string {
  if (error instanceof PythonError) return error.message;
  if (error instanceof RangeError) return 'RecursionError: the value nests too deeply';
  return error instanceof Error ? error.message : String(error);
}
