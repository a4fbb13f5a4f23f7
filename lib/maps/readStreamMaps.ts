import { InputError } from '../errors.js';

export const NULL_STRING = '__NULL__';

/** `stream_maps`, checked and typed; entries keep the order of the config. */
export interface StreamMapsConfig {
  /** Top-level `"__else__": null`: streams that no key maps are not emitted. */
  readonly dropUnmapped: boolean;
  readonly entries: readonly StreamMapEntry[];
}

export type StreamMapEntry =
  | { readonly key: string; readonly kind: 'drop' }
  | {
      readonly key: string;
      readonly kind: 'map';
      /** `__source__`: the key names a new stream copied from this one (a name or a glob). */
      readonly source: string | undefined;
      /** `__alias__`: an expression of `__stream_name__`, or a plain name. */
      readonly alias: string | undefined;
      readonly filter: string | undefined;
      /** `__key_properties__`; undefined keeps the stream's own, null and [] mean none. */
      readonly keyProperties: readonly string[] | null | undefined;
      /** `"__else__": null` inside the map: only key properties and mapped properties are kept. */
      readonly onlyMapped: boolean;
      readonly properties: readonly PropertyMapping[];
    };

export interface PropertyMapping {
  readonly name: string;
  /** null removes the property. */
  readonly expression: string | null;
}

const isNull = (value: unknown): boolean => value === null || value === NULL_STRING;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const describe = (value: unknown): string => (typeof value === 'string' ? `the string ${JSON.stringify(value)}` : Array.isArray(value) ? 'an array' : `${typeof value} ${JSON.stringify(value)}`);
const fail = (path: string, problem: string): never => {
  throw new InputError(`config: ${path}: ${problem}`);
};

/**
 * Checks the shape of `stream_maps` as the Meltano SDK's PluginMapper and CustomStreamMap do, and
 * stricter where the SDK silently does something surprising: an unknown `__option__` (a typo of
 * `__filter__`, say) and `__source__` together with `__alias__` are errors rather than properties.
 * Contract: one InputError line naming `stream_maps.<stream>[.<property>]` for any problem.
 * @example readStreamMaps({ members: { email: null, __alias__: 'people' }, __else__: null })
 */
export function readStreamMaps(raw: unknown): StreamMapsConfig {
  if (raw === undefined || raw === null) return { dropUnmapped: false, entries: [] };
  if (!isObject(raw)) return fail('stream_maps', `must be an object of stream names to maps, got ${describe(raw)}`);
  let dropUnmapped = false;
  const entries: StreamMapEntry[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const path = `stream_maps.${key}`;
    if (key === '__else__') {
      if (!isNull(value)) fail(path, `only null (or "${NULL_STRING}") is supported, got ${describe(value)}`);
      dropUnmapped = true;
    } else if (key.startsWith('__')) {
      fail(path, "unknown option (the only top-level option is '__else__')");
    } else if (key === '') {
      fail(path, 'a stream name cannot be empty');
    } else if (isNull(value)) {
      entries.push({ key, kind: 'drop' });
    } else if (isObject(value)) {
      entries.push(readStreamMap(key, value, path));
    } else {
      fail(path, `expected a map object, null or "${NULL_STRING}", got ${describe(value)}`);
    }
  }
  return { dropUnmapped, entries };
}

function readStreamMap(key: string, map: Record<string, unknown>, path: string): StreamMapEntry {
  let source: string | undefined;
  let alias: string | undefined;
  let filter: string | undefined;
  let keyProperties: readonly string[] | null | undefined;
  let onlyMapped = false;
  const properties: PropertyMapping[] = [];
  for (const [name, value] of Object.entries(map)) {
    const at = `${path}.${name}`;
    switch (name) {
      case '__source__':
        source = nonEmptyString(value, at, 'the name (or glob) of the stream to copy');
        break;
      case '__alias__':
        alias = nonEmptyString(value, at, 'the new stream name, or an expression of __stream_name__');
        break;
      case '__filter__':
        if (value !== null) filter = nonEmptyString(value, at, 'an expression that is true for the records to keep');
        break;
      case '__key_properties__':
        if (value === null) keyProperties = null;
        else if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')) keyProperties = value as string[];
        else fail(at, `expected a list of property names or null, got ${describe(value)}`);
        break;
      case '__else__':
        if (!isNull(value)) fail(at, `only null (or "${NULL_STRING}") is supported, got ${describe(value)}`);
        onlyMapped = true;
        break;
      default:
        if (name.startsWith('__') && name.endsWith('__')) fail(at, "unknown option (expected __alias__, __source__, __filter__, __key_properties__ or __else__)");
        if (name === '') fail(at, 'a property name cannot be empty');
        if (isNull(value)) properties.push({ name, expression: null });
        else if (typeof value === 'string' && value.trim() !== '') properties.push({ name, expression: value });
        else fail(at, `expected an expression string, null or "${NULL_STRING}", got ${describe(value)}`);
    }
  }
  if (source !== undefined && alias !== undefined) fail(path, `use either __source__ (the key '${key}' names the copy) or __alias__, not both`);
  return { key, kind: 'map', source, alias, filter, keyProperties, onlyMapped, properties };
}

function nonEmptyString(value: unknown, at: string, expected: string): string {
  if (typeof value !== 'string' || value.trim() === '') return fail(at, `expected ${expected}, got ${describe(value)}`);
  return value;
}
