import type { Context, JsonSchema, SigmaRecord } from './streamDefinition.js';

const STRICT_RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type RecordShaper = (entry: SigmaRecord, context: Context) => SigmaRecord;

/**
 * Compiles, once per stream, the function that turns a Sigma entry into a record: exactly the schema's
 * top-level properties (absent ones as null, unknown ones dropped, as the Meltano SDK drops properties
 * missing from the catalog schema), with top-level date-times rewritten to strict RFC 3339 when Sigma
 * sends another ISO form. The parent's keys come from the context even when the entry has a field of
 * the same name: a data model source of type data-model carries the *source's* dataModelId.
 */
export function createRecordShaper(schema: JsonSchema, contextKeys: readonly string[]): RecordShaper {
  const names = Object.keys(schema.properties ?? {});
  const fromContext = new Set(contextKeys);
  const dateTimes = new Set(names.filter((name) => schema.properties?.[name]?.format === 'date-time'));
  return (entry, context) => {
    const record: SigmaRecord = {};
    for (const name of names) {
      const value = (fromContext.has(name) ? context[name] : entry[name]) ?? null;
      record[name] = dateTimes.has(name) ? toRfc3339(value) : value;
    }
    return record;
  };
}

function toRfc3339(value: unknown): unknown {
  if (typeof value !== 'string' || STRICT_RFC3339.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
