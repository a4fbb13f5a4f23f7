import type { ChildRefresh, SigmaRecord } from '../lib/streams/streamDefinition.js';

/**
 * The replication and refresh rules the stream rows share, each with the reason that justifies it.
 * Sigma has no change feed and no "changed since" filter: a list is always read in full, and these
 * rules decide which records a run emits and which child endpoints it asks at all.
 */

/** INCREMENTAL on updatedAt: the object itself, whose updatedAt Sigma moves on every edit of it. */
export const OWN_UPDATED_AT = 'INCREMENTAL on updatedAt: the record is the object itself, and Sigma moves its updatedAt whenever it is edited';

/** FULL_TABLE: nothing in the record moves when it changes. */
export const NO_TIMESTAMP = 'FULL_TABLE: the record has no timestamp of its own';

/** FULL_TABLE: a relationship carries the timestamps of what it points at. */
export const RELATIONSHIP =
  'FULL_TABLE: a relationship (favourite, membership, access); it carries the timestamps of what it points at, which do not move when the relationship is made';

/** FULL_TABLE: grants. */
export const GRANTS =
  'FULL_TABLE: a grant made on a document the client could not see before, or re-made, can carry an older timestamp than the bookmark';

/** Children whose content is part of the parent's version. */
export const WITH_PARENT: ChildRefresh = {
  rule: 'with-parent',
  reason: "part of the parent's content: a change to it is a new version of the parent, which moves the parent's updatedAt",
};

/** Children that change without their parent changing. */
export function everyRun(reason: string): ChildRefresh {
  return { rule: 'every-run', reason };
}

/** The reason of children whose own changes leave the parent as it was. */
export const CHANGES_ON_ITS_OWN = 'changes without a new version of its parent';

/**
 * Version tags a document lists with the time each was applied (`tags[].<field>`): read the tag
 * children of a document only when it changed or lists a tag applied since its bookmark.
 */
export function listedTags(field: string): ChildRefresh {
  return {
    rule: 'when-listed',
    reason: `the parent lists its tags with ${field}: a tag applied since the bookmark shows there`,
    changedSince: (parent: SigmaRecord, sinceMs: number) =>
      Array.isArray(parent['tags']) &&
      parent['tags'].some((tag: unknown) => typeof tag === 'object' && tag !== null && Date.parse(String((tag as SigmaRecord)[field])) >= sinceMs),
  };
}

/** Version tags applied to a document: INCREMENTAL on the time of application, read when the parent lists a new one. */
export function tagApplications(field: string) {
  return { replicationKey: field, replicationReason: `INCREMENTAL on ${field}: applying a tag gives the entry the time it was applied`, refresh: listedTags(field) } as const;
}

/** Scheduled exports of a workbook, report or member. */
export const SCHEDULES = {
  replicationKey: 'updatedAt',
  replicationReason: 'INCREMENTAL on updatedAt: a schedule is an object of its own, whose updatedAt moves when it is edited',
  refresh: everyRun(`a scheduled export ${CHANGES_ON_ITS_OWN}`),
} as const;

/** Materialization schedules of a workbook or data model. */
export const MATERIALIZATION_SCHEDULES = {
  replicationReason: 'FULL_TABLE: configuredAt moves when the schedule is configured, but not when it is paused or resumed',
  refresh: everyRun(`a materialization schedule ${CHANGES_ON_ITS_OWN}: it is created and edited from the document's materialization settings and saved, not published`),
} as const;
