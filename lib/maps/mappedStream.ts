import type { JsonSchema, SigmaRecord } from '../streams/streamDefinition.js';

/** A stream as the sync core has it after catalog selection: what stream maps start from. */
export interface StreamShape {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly keyProperties: readonly string[];
  readonly replicationKey?: string | undefined;
}

/**
 * One stream the tap emits for an input stream: its SCHEMA message's fields and the per-record map.
 * `name` is what SCHEMA and RECORD messages carry; bookmarks stay keyed by `source` (the SDK keeps
 * state under the input stream's name, so an alias does not lose incremental progress).
 */
export interface MappedStream {
  readonly name: string;
  /** The input stream's name. */
  readonly source: string;
  readonly schema: JsonSchema;
  readonly keyProperties: readonly string[];
  /** The input's replication key while the mapped schema still has it (SCHEMA's bookmark_properties). */
  readonly replicationKey: string | undefined;
  /**
   * The output record, or undefined when `__filter__` drops it. Compiled once; the record passed in is
   * never modified, and may be returned as it is when nothing changes it (no map, no flattening).
   */
  readonly map: (record: SigmaRecord) => SigmaRecord | undefined;
}
