import { isJsonObject, type JsonSchema } from './jsonSchema.js';
import { mapSubschemas } from './mapSubschemas.js';

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * Inlines every `$ref` to `#/components/schemas/*` so that no `$ref` is left.
 * Contract: pure; keys next to a `$ref` (OpenAPI 3.1 allows siblings) override the target's keys.
 *   Throws on a `$ref` that points elsewhere or to a missing component.
 *
 * Recursion: a `$ref` to a component that is already being expanded on the current path is
 * replaced by `{}` (any JSON). Singer targets need a schema without `$ref`, and a recursive
 * schema cannot be written out finitely, so the recursion is cut where it closes: the first
 * level keeps its real shape, deeper levels are accepted as they come. In this spec only the
 * api-connector `ParamShapeNode` (a JSON-Schema-like parameter shape) recurses.
 *
 * @example
 *   dereference({ $ref: '#/components/schemas/A' }, { A: { type: 'object', properties: { self: { $ref: '#/components/schemas/A' } } } })
 *   // → { type: 'object', properties: { self: {} } }
 */
export function dereference(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): JsonSchema {
  return expand(schema, components, []);
}

function expand(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, stack: readonly string[]): JsonSchema {
  const ref = schema['$ref'];
  if (ref === undefined) {
    return mapSubschemas(schema, (sub) => expand(sub, components, stack));
  }
  if (typeof ref !== 'string' || !ref.startsWith(COMPONENT_PREFIX)) {
    throw new Error(`unsupported $ref ${JSON.stringify(ref)}: only ${COMPONENT_PREFIX}* is handled`);
  }
  const name = decodeURIComponent(ref.slice(COMPONENT_PREFIX.length)).replaceAll('~1', '/').replaceAll('~0', '~');
  if (stack.includes(name)) return {};
  const target = components[name];
  if (!isJsonObject(target)) throw new Error(`$ref ${ref} points to no schema`);
  const { $ref: _ref, ...siblings } = schema;
  const resolved = expand(target, components, [...stack, name]);
  return { ...resolved, ...mapSubschemas(siblings, (sub) => expand(sub, components, stack)) };
}
