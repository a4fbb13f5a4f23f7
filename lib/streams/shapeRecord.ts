import type { Context, JsonSchema, SigmaRecord } from './streamDefinition.js';

const STRICT_RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type RecordShaper = (entry: SigmaRecord, context: Context) => SigmaRecord;

/**
 * Compiles, once per stream, the function that turns a Sigma entry into a record: exactly the schema's
 * top-level properties (absent ones as null, unknown ones dropped, as the Meltano SDK drops properties
 * missing from the catalog schema), with top-level date-times rewritten to strict RFC 3339 when Sigma
 * sends another ISO form. The parent's keys come from the context even when the entry has a field of
 * the same name: a data model source of type data-model carries the *source's* dataModelId.
 *
 * This runs once per record, so the shaper is generated as a single object literal (as ajv generates
 * its validators): V8 then builds every record from one boilerplate with a fixed hidden class, about
 * five times faster than adding properties one by one, and JSON.stringify takes its fast path on it.
 */
export function createRecordShaper(schema: JsonSchema, contextKeys: readonly string[]): RecordShaper {
  const names = Object.keys(schema.properties ?? {});
  const fromContext = new Set(contextKeys);
  const dateTimes = new Set(names.filter((name) => schema.properties?.[name]?.format === 'date-time'));
  // In an object literal `"__proto__": v` would set the prototype instead of a property: build such a
  // record by assignment, exactly as it always was.
  if (names.includes('__proto__')) return assigningShaper(names, fromContext, dateTimes);
  const fields = names.map((name) => {
    const key = JSON.stringify(name);
    const value = `${fromContext.has(name) ? 'context' : 'entry'}[${key}] ?? null`;
    return `${key}: ${dateTimes.has(name) ? `toRfc3339(${value})` : value}`;
  });
  const compile = new Function('toRfc3339', `return (entry, context) => ({${fields.join(', ')}});`) as (convert: typeof toRfc3339) => RecordShaper;
  return compile(toRfc3339);
}

function assigningShaper(names: readonly string[], fromContext: ReadonlySet<string>, dateTimes: ReadonlySet<string>): RecordShaper {
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
