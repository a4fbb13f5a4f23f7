import type { TapConfig } from '../config/tapConfig.js';
import type { Logger } from '../log/logger.js';
import { outputShaping } from '../output/outputShaping.js';
import type { OutputShaping } from '../output/singerOutput.js';
import { compileStreamOutputs, unmappedOutputs } from '../output/streamOutputs.js';
import { tableVersionAt, tableVersions } from '../output/tableVersions.js';
import { withoutDroppedStreams } from '../output/withoutDroppedStreams.js';
import type { Catalog } from '../singer/catalog.js';
import type { SchemaMessage } from '../singer/messages.js';
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
  /**
   * `singer` (the default): the session feeds Singer output, shaped by stream maps, flattening and
   * table versions; `records` (tap.records()): the records as the stream schemas describe them.
   */
  readonly output?: 'singer' | 'records';
  /** `--test`: no table versions (a sample is no table). */
  readonly sample?: boolean;
}

/** What one sync knows, whoever consumes it: the plan, its state, what it skipped, its schemas. */
export interface SyncSession {
  readonly plan: readonly PlannedStream[];
  readonly state: StateTracker;
  readonly report: SyncReport;
  /** SCHEMA messages of the emitted streams, in plan order. */
  readonly schemas: readonly SchemaMessage[];
  /** Stream maps, flattening and table versions; undefined when none applies. */
  readonly shaping: OutputShaping | undefined;
  /** Validates a batch of a planned stream by `validate_records` (one warning budget per stream). */
  readonly check: (stream: PlannedStream, batch: RecordBatch) => RecordBatch;
}

/**
 * Resolves catalog and state against the stream table, and compiles the stream maps. Throws
 * InputError for a catalog or a stream map it cannot use, before anything is emitted.
 */
export function openSyncSession(options: SyncSessionOptions): SyncSession {
  const { config, logger } = options;
  const startedAt = new Date();
  const state = new StateTracker(options.state ?? {}, startedAt.toISOString());
  const planned = planStreams({ definitions: options.definitions, catalog: options.catalog, config, state, logger });
  const shapes = flattenPlan(planned)
    .filter((stream) => stream.selected)
    .map((stream) => ({ name: stream.definition.name, schema: stream.schema, keyProperties: stream.keyProperties, replicationKey: stream.replicationKey }));
  const singer = options.output !== 'records';
  const outputs = singer ? compileStreamOutputs(shapes, config, options.definitions.map((d) => d.name)) : unmappedOutputs(shapes);
  const plan = withoutDroppedStreams(planned, outputs.dropped);
  const streams = flattenPlan(plan);
  const validators = new Map(streams.map((stream) => [stream, batchValidator({ validator: stream.validator, policy: config.validate_records, logger })]));
  const report = new SyncReport(logger, streams.filter((stream) => stream.selected).map((stream) => stream.definition.name), partialStreams(plan));
  const versions =
    singer && config.emit_activate_version_messages && !options.sample
      ? tableVersions({ plan, outputNamesOf: outputs.outputNamesOf, report, logger, version: tableVersionAt(startedAt) })
      : undefined;
  return {
    plan,
    state,
    report,
    schemas: outputs.schemas,
    shaping: outputShaping(outputs, versions),
    check: (stream, batch) => validators.get(stream)!(batch),
  };
}

/** Streams read only for parents changed since their bookmark: those that follow a parent, and everything below them. */
function partialStreams(plan: readonly PlannedStream[]): Set<string> {
  const partial = new Set<string>();
  const visit = (stream: PlannedStream, below: boolean): void => {
    const follows = below || stream.parentChangedSinceMs !== undefined;
    if (follows) partial.add(stream.definition.name);
    for (const child of stream.children) visit(child, follows);
  };
  for (const root of plan) visit(root, false);
  return partial;
}
