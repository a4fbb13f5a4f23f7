import type { Logger } from '../log/logger.js';
import type { ActivateVersionMessage, RecordBatch } from '../singer/messages.js';
import { type PlannedStream, flattenPlan } from '../tap/streamPlan.js';
import type { SyncReport } from '../tap/syncReport.js';
import type { OutputItem } from './singerOutput.js';

export interface TableVersionsOptions {
  /** The sync's plan (after stream maps dropped what they drop). */
  readonly plan: readonly PlannedStream[];
  /** The names a stream's records are emitted under. */
  readonly outputNamesOf: (stream: string) => readonly string[];
  readonly report: SyncReport;
  readonly logger: Logger;
  /** The version of every FULL_TABLE stream in this sync. */
  readonly version: number;
}

/** ACTIVATE_VERSION framing of the FULL_TABLE streams of one sync. */
export interface TableVersions {
  /** One output batch as it is emitted: ACTIVATE_VERSION before its stream's first batch, and the version. */
  stamp(batch: RecordBatch): OutputItem[];
  /** The closing ACTIVATE_VERSIONs of a finished top-level tree, to be emitted before its STATE. */
  treeDone(root: string): OutputItem[];
}

/**
 * The table version of a sync, as the Meltano SDK numbers it: the start instant in epoch seconds
 * (which also fits the 32-bit integer column SDK targets keep it in).
 */
export function tableVersionAt(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}

/**
 * Frames every selected FULL_TABLE stream as the Meltano SDK does with `emit_activate_version_messages`
 * (an ACTIVATE_VERSION before the records, `version` on each RECORD) and as classic Singer taps do
 * (another ACTIVATE_VERSION once the whole table is read), so a target can delete the rows this sync
 * did not see: members, teams or grants removed in Sigma since the last run.
 * Two departures from the SDK keep a target from deleting rows the tap merely could not read: the
 * opening message waits for the stream's first record (a stream Sigma refuses emits neither), and
 * the closing one is emitted only for a stream read whole (not unavailable, no parent skipped, tree
 * finished: a stopped run closes nothing it did not finish). A child an incremental run reads only for
 * changed parents is not framed at all.
 * Contract: one opening message per output stream at most, one closing message per output stream of a
 *   finished tree; INCREMENTAL streams are left alone.
 * @example tableVersions({ plan, outputNamesOf, report, logger, version: 1718000000 }).stamp(batch)
 *   // [{ kind: 'message', message: { type: 'ACTIVATE_VERSION', stream: 'members', version: 1718000000 } }, { kind: 'records', batch: { ...batch, version: 1718000000 } }]
 */
export function tableVersions(options: TableVersionsOptions): TableVersions {
  const { version, report, logger } = options;
  // A child this incremental run reads only for changed parents is not a whole table: versioning it
  // would let a target delete the children of every unchanged parent.
  const fullTable = (stream: PlannedStream): boolean => stream.selected && stream.replicationKey === undefined && !report.readsOnlyChangedParents(stream.definition.name);
  const versioned = new Set(flattenPlan(options.plan).filter(fullTable).flatMap((stream) => options.outputNamesOf(stream.definition.name)));
  const trees = new Map(options.plan.map((root) => [root.definition.name, flattenPlan([root]).filter(fullTable)]));
  const opened = new Set<string>();
  const activate = (stream: string): OutputItem => ({ kind: 'message', message: { type: 'ACTIVATE_VERSION', stream, version } satisfies ActivateVersionMessage });

  return {
    stamp: (batch) => {
      if (!versioned.has(batch.stream)) return [{ kind: 'records', batch }];
      const stamped: OutputItem = { kind: 'records', batch: { ...batch, version } };
      if (opened.has(batch.stream)) return [stamped];
      opened.add(batch.stream);
      return [activate(batch.stream), stamped];
    },
    treeDone: (root) => {
      const closing: OutputItem[] = [];
      for (const stream of trees.get(root) ?? []) {
        const name = stream.definition.name;
        if (!report.readComplete(name)) {
          logger.info(`${name}: no closing ACTIVATE_VERSION, because this sync could not read all of it; a target keeps the rows it did not see`);
          continue;
        }
        for (const output of options.outputNamesOf(name)) closing.push(activate(output));
      }
      return closing;
    },
  };
}
