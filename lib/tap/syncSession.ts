import type { TapConfig } from '../config/tapConfig.js';
import type { Logger } from '../log/logger.js';
import type { Catalog } from '../singer/catalog.js';
import { type SchemaMessage, schemaMessage } from '../singer/messages.js';
import { StateTracker } from '../singer/stateTracker.js';
import { batchValidator } from '../streams/batchValidator.js';
import type { RecordBatch } from '../singer/messages.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { type PlannedStream, flattenPlan, planStreams } from './streamPlan.js';
import { SyncReport } from './syncReport.js';

export interface SyncSessionOptions {
  readonly config: TapConfig;
  readonly definitions: readonly StreamDefinition[];
  readonly catalog?: Catalog;
  readonly state?: Record<string, unknown>;
  readonly logger: Logger;
}

/** What one sync knows, whoever consumes it: the plan, its state, what it skipped, its schemas. */
export interface SyncSession {
  readonly plan: readonly PlannedStream[];
  readonly state: StateTracker;
  readonly report: SyncReport;
  /** SCHEMA messages of the selected streams, in plan order. */
  readonly schemas: readonly SchemaMessage[];
  /** Validates a batch of a planned stream by `validate_records` (one warning budget per stream). */
  readonly check: (stream: PlannedStream, batch: RecordBatch) => RecordBatch;
}

/** Resolves catalog and state against the stream table. Throws InputError for a catalog it cannot use. */
export function openSyncSession(options: SyncSessionOptions): SyncSession {
  const { config, logger } = options;
  const state = new StateTracker(options.state ?? {}, new Date().toISOString());
  const plan = planStreams({ definitions: options.definitions, catalog: options.catalog, config, state, logger });
  const streams = flattenPlan(plan);
  const validators = new Map(streams.map((stream) => [stream, batchValidator({ validator: stream.validator, policy: config.validate_records, logger })]));
  const selected = streams.filter((stream) => stream.selected);
  return {
    plan,
    state,
    report: new SyncReport(logger, selected.map((stream) => stream.definition.name)),
    schemas: selected.map((stream) => schemaMessage(stream.definition.name, stream.schema, stream.keyProperties, stream.replicationKey)),
    check: (stream, batch) => validators.get(stream)!(batch),
  };
}
