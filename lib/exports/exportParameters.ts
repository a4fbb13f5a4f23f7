import type { ExportEntry } from './parseExportEntries.js';

/**
 * The control values an export sends: the entry's own, plus, for an incremental stream, its
 * date-range control opened at the starting instant (bookmark or start_date): `min:<instant>,max:`.
 * Sigma reads dates to the second (`%Y-%m-%dT%H:%M:%S`, UTC, no fraction, no offset), so the instant
 * is rounded *down* to its second: the rows of that second before the bookmark come back too and are
 * dropped by the starting-instant filter, and none after it is missed.
 * @example exportParameters(entry, Date.parse('2024-01-02T03:04:05.678Z')) // { 'Event-Date-Range': 'min:2024-01-02T03:04:05,max:' }
 */
export function exportParameters(entry: ExportEntry, startMs: number | undefined): Readonly<Record<string, string>> {
  if (entry.replication_parameter === undefined || startMs === undefined) return entry.parameters;
  return { ...entry.parameters, [entry.replication_parameter]: `min:${wholeSecond(startMs)},max:` };
}

function wholeSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}
