import { type Organization, type Principal, listEntries } from '../../fixtures/index.js';
import type { TapConfig } from '../../lib/config/tapConfig.js';
import { pathPlaceholders } from '../../lib/streams/recordSchema.js';
import type { Context, SigmaRecord, StreamDefinition } from '../../lib/streams/streamDefinition.js';

interface Partition {
  readonly context: Context;
  readonly entries: readonly SigmaRecord[];
}

/**
 * What a correct extraction of `stream` yields, computed from the simulator's organization (its
 * unpaginated truth per request) by walking the parent chain the way Sigma's API is meant to be walked:
 * every parent entry (archived ones only when asked), every child request, every entry that is a record.
 */
export function expectedRecords(org: Organization, streams: readonly StreamDefinition[], stream: StreamDefinition, config: TapConfig, principal: Principal = 'admin'): SigmaRecord[] {
  const byName = new Map(streams.map((s) => [s.name, s]));
  const partitions = (definition: StreamDefinition): Partition[] => {
    const contexts: Context[] = [];
    if (!definition.parent) contexts.push(...(definition.rootContexts?.(config) ?? [{}]));
    else {
      for (const parent of partitions(byName.get(definition.parent)!)) {
        for (const entry of parent.entries) {
          if (entry['isArchived'] === true && !config.include_archived) continue;
          const context = definition.context ? definition.context({ ...parent.context, ...entry }, config) : pick(definition.path, entry, parent.context);
          if (context) contexts.push(context);
        }
      }
    }
    return contexts.map((context) => {
      const pathParams = Object.fromEntries(pathPlaceholders(definition.path).map((name) => [name, context[name]!]));
      const query = Object.fromEntries(Object.entries(definition.params?.(config, context) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      const result = listEntries(org, definition.path, pathParams, query, principal);
      const raw: unknown[] = result.status === 200 ? result.entries : [];
      const key = definition.scalarEntryKey;
      const entries = raw
        .filter((e) => e !== null && e !== undefined)
        .map((e) => (typeof e === 'object' ? (e as SigmaRecord) : key ? { [key]: e } : undefined))
        .filter((e): e is SigmaRecord => e !== undefined);
      return { context, entries: definition.isRecord ? entries.filter(definition.isRecord) : entries };
    });
  };
  const derived = Object.entries(stream.derived ?? {});
  return partitions(stream).flatMap(({ context, entries }) =>
    entries.map((entry) => ({ ...entry, ...parentKeys(stream, context), ...Object.fromEntries(derived.map(([name, d]) => [name, d.value(entry, context)])) })),
  );
}

/** The parent's keys a child record carries: its path placeholders, or the keys its context hook names. */
function parentKeys(stream: StreamDefinition, context: Context): Context {
  if (!stream.parent) return {};
  const names = stream.contextKeys ?? pathPlaceholders(stream.path);
  return Object.fromEntries(names.map((name) => [name, context[name]!]));
}

function pick(path: string, parent: SigmaRecord, parentContext: Context): Context | null {
  const context: Record<string, string> = {};
  for (const name of pathPlaceholders(path)) {
    const value = parent[name] ?? parentContext[name];
    if (typeof value !== 'string') return null;
    context[name] = value;
  }
  return context;
}

/** A record's primary key as one comparable string. */
export function keyOf(record: Readonly<Record<string, unknown>>, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => record[k] ?? null));
}

/**
 * The top-level streams whose first request the organization refuses to `principal` as unavailable
 * (403, 404, or 400 "not enabled"): what a correct run reports instead of extracting them.
 */
export function unavailableRoots(org: Organization, streams: readonly StreamDefinition[], config: TapConfig, principal: Principal = 'admin'): string[] {
  return streams
    .filter((definition) => !definition.parent)
    .filter((definition) => {
      const context = definition.rootContexts?.(config)[0] ?? {};
      const query = Object.fromEntries(Object.entries(definition.params?.(config, context) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      const result = listEntries(org, definition.path, {}, query, principal);
      return result.status === 403 || result.status === 404 || (result.status === 400 && 'body' in result && /not (enabled|available)/i.test(result.body.message));
    })
    .map((definition) => definition.name);
}
