import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { childRefreshRule } from '../config/childRefresh.js';
import type { TapConfig } from '../config/tapConfig.js';
import { InputError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { type Catalog, type CatalogEntry, discoverEntry, streamId } from '../singer/catalog.js';
import { isSelected, replicationChoice, selectSchema, withAutomaticProperties } from '../singer/selection.js';
import type { StateTracker } from '../singer/stateTracker.js';
import { contextKeysOf, recordSchema } from '../streams/recordSchema.js';
import { type RecordShaper, createRecordShaper } from '../streams/shapeRecord.js';
import type { ChildRefresh, JsonSchema, StreamDefinition } from '../streams/streamDefinition.js';
import { childRefreshRules } from './childRefreshRules.js';

// ajv-formats is published as CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

/** One stream as this run will sync it: selection, schema, replication and the compiled helpers. */
export interface PlannedStream {
  readonly definition: StreamDefinition;
  /** False for a parent that is fetched only because a descendant is selected. */
  readonly selected: boolean;
  readonly schema: JsonSchema;
  readonly keyProperties: readonly string[];
  readonly replicationKey: string | undefined;
  /** Records whose replication key is earlier than this instant (ms) are not emitted. */
  readonly startMs: number | undefined;
  /**
   * A child that follows its parent (see ChildRefresh): read only for parents new or changed since
   * this instant, the parent's bookmark. Absent: read for every parent (a first run, a parent without
   * a bookmark, a child never read before, or one that changes on its own).
   */
  readonly parentChangedSinceMs?: number;
  /** The child's rule: its definition's, or the one the `child_refresh` setting gives it. */
  readonly refresh: ChildRefresh | undefined;
  readonly shape: RecordShaper;
  readonly validator: ValidateFunction;
  readonly children: readonly PlannedStream[];
}

/** The catalog entry discovery gives for a stream definition. */
export function catalogEntryOf(definition: StreamDefinition): CatalogEntry {
  return discoverEntry({
    name: definition.name,
    schema: recordSchema(definition, contextKeysOf(definition)),
    keyProperties: definition.primaryKeys,
    ...(definition.replicationKey ? { replicationKey: definition.replicationKey } : {}),
  });
}

export interface PlanOptions {
  readonly definitions: readonly StreamDefinition[];
  readonly catalog: Catalog | undefined;
  readonly config: TapConfig;
  readonly state: StateTracker;
  readonly logger: Logger;
}

/**
 * Resolves the catalog against the stream table: which streams run, with which schema and replication,
 * arranged as trees under their top-level ancestors. A stream that is not selected but has a selected
 * descendant is kept (its records supply the contexts) and emits nothing.
 */
export function planStreams(options: PlanOptions): PlannedStream[] {
  const { definitions, catalog, config, state, logger } = options;
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const entries = new Map<string, CatalogEntry>();
  for (const entry of catalog?.streams ?? []) {
    const id = streamId(entry);
    if (!byName.has(id)) logger.warn(`catalog names unknown stream '${id}'; ignoring it`);
    else entries.set(id, entry);
  }
  // Without ajv's code optimisation pass every stream's validator compiles in about half the CPU (in
  // fresh processes, the full catalog: 430 ms → 245 ms of every run's start-up), and validates as fast.
  const ajv = addFormats.default(new Ajv({ strict: false, allErrors: false, code: { optimize: false } }));
  const childrenOf = (name: string): StreamDefinition[] => definitions.filter((d) => d.parent === name);
  const refreshOf = childRefreshRules(definitions, config.child_refresh);

  /** `parentBookmarkMs`: the bookmark of the parent as this run starts, when it runs INCREMENTAL from one. */
  const plan = (definition: StreamDefinition, parentBookmarkMs: number | undefined, parentReplicationKey?: string): PlannedStream | undefined => {
    const discovered = catalogEntryOf(definition);
    const entry = catalog ? entries.get(definition.name) : discovered;
    const selected = entry !== undefined && isSelected(entry.metadata ?? [], []);
    const effective = entry ?? discovered;
    const replication = replicationChoice(effective, definition.replicationKey);
    const bookmarkMs = selected && replication.key ? state.bookmarkInstant(definition.name, replication.key) : undefined;
    const children = childrenOf(definition.name)
      .map((child) => plan(child, bookmarkMs, replication.key))
      .filter((p): p is PlannedStream => p !== undefined);
    if (!selected && children.length === 0) return undefined;
    const keyProperties = effective.key_properties ?? definition.primaryKeys;
    const catalogSchema = effective.schema ?? discovered.schema;
    const automatic = [...keyProperties, ...(replication.key ? [replication.key] : [])];
    const schema = withAutomaticProperties(selectSchema(catalogSchema, effective.metadata ?? []), automatic, [catalogSchema, discovered.schema]);
    const startMs = replication.key ? state.startingInstant(definition.name, replication.key, config.start_date) : undefined;
    const refresh = refreshOf(definition);
    if (childRefreshRule(config.child_refresh, definition.name) === 'with-parent' && parentReplicationKey === undefined && definition.parent !== undefined) {
      logger.warn(`child_refresh: ${definition.name} is read for every parent all the same: its parent ${definition.parent} has no replication key to follow`);
    }
    const follows = parentBookmarkMs !== undefined && refresh?.rule !== 'every-run' && state.wasSynced(definition.name);
    return {
      definition,
      selected,
      schema,
      keyProperties,
      replicationKey: replication.key,
      startMs,
      ...(follows ? { parentChangedSinceMs: parentBookmarkMs } : {}),
      refresh,
      shape: createRecordShaper(schema, contextKeysOf(definition)),
      validator: compile(ajv, schema, definition.name),
      children,
    };
  };
  return definitions
    .filter((d) => !d.parent)
    .map((definition) => plan(definition, undefined))
    .filter((p): p is PlannedStream => p !== undefined)
    .sort((a, b) => a.definition.name.localeCompare(b.definition.name));
}

function compile(ajv: Ajv, schema: JsonSchema, stream: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new InputError(`schema of stream '${stream}' is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

/** Every planned stream, depth first. */
export function flattenPlan(plan: readonly PlannedStream[]): PlannedStream[] {
  return plan.flatMap((p) => [p, ...flattenPlan(p.children)]);
}
