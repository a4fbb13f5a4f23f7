import type { JsonSchema, StreamDefinition } from './streamDefinition.js';
import { withNull } from './withNull.js';

/** Placeholders of a path template, in order: /v2/workbooks/{workbookId}/pages → ['workbookId']. */
export function pathPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

/**
 * The schema of the records a stream emits: Sigma's entry schema plus the parent's context keys, with
 * every optional property made nullable, because every record carries every property (null when Sigma
 * left it out) so that targets which build columns from the first record see them all. Context keys
 * and derived properties are always there: they keep their own schemas (a data model source's entry
 * has a nullable dataModelId of its own, but the record's comes from the parent) and are required.
 */
export function recordSchema(stream: StreamDefinition, contextKeys: readonly string[]): JsonSchema {
  const entry = stream.entrySchema;
  const required = new Set(entry.required ?? []);
  const fromContext = new Set(contextKeys);
  const derived = Object.entries(stream.derived ?? {});
  const properties: Record<string, JsonSchema> = {};
  for (const key of contextKeys) properties[key] = { type: 'string' };
  for (const [name, schema] of Object.entries(entry.properties ?? {})) {
    if (!fromContext.has(name)) properties[name] = required.has(name) ? schema : withNull(schema);
  }
  for (const [name, property] of derived) properties[name] = property.schema;
  return {
    type: 'object',
    properties,
    required: [...new Set([...contextKeys, ...required, ...derived.map(([name]) => name)])],
  };
}

/** The keys a child stream receives from its parent and writes into its records. */
export function contextKeysOf(stream: StreamDefinition): readonly string[] {
  if (!stream.parent) return [];
  return stream.contextKeys ?? pathPlaceholders(stream.path);
}
