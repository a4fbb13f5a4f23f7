import { InputError } from '../errors.js';
import type { JsonSchema } from '../streams/streamDefinition.js';
import { withNull } from '../streams/withNull.js';
import { flattenKey } from './flattenKey.js';

/** How the properties of one object level of the input map to columns, compiled from the schema. */
export interface FlatteningLevel {
  readonly columns: ReadonlyMap<string, FlatteningColumn>;
  /** Names from the top of the record down to this level, to name properties the schema does not know. */
  readonly path: readonly string[];
  /** 0 at the top of the record. */
  readonly depth: number;
}

export interface FlatteningColumn {
  /** The flattened name of the property (its column, unless its value is flattened further). */
  readonly key: string;
  /** Set when the schema makes this property an object flattened one more level. */
  readonly nested: FlatteningLevel | undefined;
}

export interface FlattenedSchema {
  readonly schema: JsonSchema;
  readonly topLevel: FlatteningLevel;
}

export interface FlattenSchemaOptions {
  readonly maxDepth: number;
  readonly separator: string;
  readonly maxKeyLength: number;
  /** Stream name, for the error about colliding columns. */
  readonly stream: string;
  /**
   * Records carry every column (createFlattener's `everyColumn`): a column whose value can be missing
   * (a property a nested object may leave out, or inside a nullable object) is null then, so it allows null.
   */
  readonly everyColumn?: boolean;
}

const typesOf = (schema: JsonSchema): readonly string[] | undefined => (schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type]);

/**
 * The SCHEMA of flattened records, as the Meltano SDK's `flatten_schema` builds it: an object property
 * with `properties` becomes one column per sub-property (`parent__child`) while the depth is below
 * `maxDepth`; arrays and deeper or free-form objects become JSON strings (`{"type": ["string", "null"]}`,
 * without "null" when the property was not nullable); typeless properties become nullable strings;
 * everything else keeps its schema.
 * Where the SDK is inconsistent this stays consistent with the flattened records: `required` keeps only
 * the columns that still exist, and an anyOf/oneOf/allOf property keeps its schema unless a branch is
 * an object or an array, which makes it a JSON string (the SDK drops such a property from the schema
 * when its first branch is not a string, array or object).
 * Contract: throws InputError when two properties flatten to the same column.
 */
export function flattenSchema(schema: JsonSchema, options: FlattenSchemaOptions): FlattenedSchema {
  const properties: Record<string, JsonSchema> = {};
  const topLevel = flattenLevel(schema, [], 0, options, properties, true);
  const { properties: _nested, required, ...rest } = schema;
  const flattened: JsonSchema = { ...rest, properties };
  if (required !== undefined) flattened.required = required.filter((name) => Object.hasOwn(properties, name));
  return { schema: flattened, topLevel };
}

/**
 * `present`: every record has this level as an object (the top level; below it, an object property that
 * every record has and that cannot be null). The top level's properties are all there: records carry
 * every property of their schema.
 */
function flattenLevel(schema: JsonSchema, path: readonly string[], depth: number, options: FlattenSchemaOptions, out: Record<string, JsonSchema>, present: boolean): FlatteningLevel {
  const columns = new Map<string, FlatteningColumn>();
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const propertyPath = [...path, name];
    const key = flattenKey(propertyPath, options.separator, options.maxKeyLength);
    const types = typesOf(property);
    const always = present && (depth === 0 || required.has(name));
    if (types?.includes('object') && property.properties !== undefined && depth < options.maxDepth) {
      columns.set(name, { key, nested: flattenLevel(property, propertyPath, depth + 1, options, out, always && !types.includes('null')) });
      continue;
    }
    if (Object.hasOwn(out, key)) throw new InputError(`flattening stream '${options.stream}' would produce the column '${key}' twice; rename one of the properties with stream_maps`);
    const leaf = leafSchema(property, types);
    Object.defineProperty(out, key, { value: options.everyColumn && !always ? withNull(leaf) : leaf, enumerable: true, writable: true, configurable: true });
    columns.set(name, { key, nested: undefined });
  }
  return { columns, path, depth };
}

function leafSchema(property: JsonSchema, types: readonly string[] | undefined): JsonSchema {
  if (types !== undefined) {
    if (types.includes('array') || types.includes('object')) return { type: types.includes('null') ? ['string', 'null'] : 'string' };
    return property;
  }
  const branches = property.anyOf ?? (property['oneOf'] as JsonSchema[] | undefined) ?? (property['allOf'] as JsonSchema[] | undefined);
  if (branches === undefined) return { type: ['null', 'string'] };
  const branchTypes = branches.map(typesOf);
  if (!branchTypes.some((list) => list?.includes('object') || list?.includes('array'))) return property;
  if (branchTypes.some((list) => list === undefined)) return {};
  const columnTypes = new Set<string>(['string']);
  for (const type of branchTypes.flat()) columnTypes.add(type === 'object' || type === 'array' ? 'string' : type!);
  columnTypes.add('null');
  return { type: [...columnTypes] };
}
