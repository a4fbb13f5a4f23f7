type Json = Record<string, unknown>;

/**
 * Top-level key of a STATE written while a run is unfinished: the top-level streams already extracted
 * in full. A run started from such a state skips them, so a killed run resumes where it stopped.
 */
export const RESUME_KEY = 'tap_sigma_resume';

interface Progress {
  readonly key: string;
  maxMs: number;
  maxValue: string;
}

/**
 * The run's Singer state, in the Meltano SDK's shape: `{"bookmarks": {stream: {replication_key,
 * replication_key_value}}}`. Unknown top-level keys of the input are kept (the SDK drops them).
 * Timestamps are compared as instants, never as strings, and a bookmark never passes the signpost (the
 * run's start), so records changed while the run was reading are read again next time.
 * One bookmark per stream, child streams included: no entry per parent, so STATE grows with the number
 * of streams, not with the organization.
 */
export class StateTracker {
  private readonly state: Json;
  private readonly progress = new Map<string, Progress>();
  private readonly signpostMs: number;
  private readonly completedRoots: Set<string>;
  private finished = false;
  private otherBytes: number | undefined;

  constructor(input: Json, private readonly signpost: string) {
    // Only the bookmarks are ever changed, so only they are copied: the input's other keys (another
    // tool's, perhaps megabytes) are kept as they are, shared by every STATE value, never cloned again.
    const { [RESUME_KEY]: resume, ...rest } = input;
    this.state = 'bookmarks' in rest ? { ...rest, bookmarks: structuredClone(rest['bookmarks']) } : rest;
    this.collapsePartitions();
    this.signpostMs = Date.parse(signpost);
    const completed = (resume as { completed?: unknown } | undefined)?.completed;
    this.completedRoots = new Set(Array.isArray(completed) ? completed.filter((c): c is string => typeof c === 'string') : []);
  }

  /** True when an interrupted run already extracted this top-level stream and its descendants. */
  alreadyCompleted(root: string): boolean {
    return this.completedRoots.has(root);
  }

  /** A top-level stream and all its descendants were extracted. */
  completeRoot(root: string): void {
    this.completedRoots.add(root);
  }

  /** The whole run is done: the final STATE carries no resume marker. */
  finish(): void {
    this.finished = true;
  }

  /**
   * The instant (ms) from which records of `stream` are emitted: the later of its bookmark (ignored when
   * it was kept for another replication key) and `startDate`; undefined means everything.
   */
  startingInstant(stream: string, key: string, startDate: string | undefined): number | undefined {
    const candidates = [this.bookmarkInstant(stream, key), startDate ? Date.parse(startDate) : undefined].filter((ms): ms is number => ms !== undefined);
    return candidates.length > 0 ? Math.max(...candidates) : undefined;
  }

  /** The instant of the input state's bookmark of `stream` for `key`, if it has one. */
  bookmarkInstant(stream: string, key: string): number | undefined {
    const bookmark = this.readBookmarks()[stream] as Json | undefined;
    if (!bookmark || (bookmark['replication_key'] !== undefined && bookmark['replication_key'] !== key)) return undefined;
    const value = bookmarkValue(bookmark);
    const ms = value === undefined ? Number.NaN : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }

  /**
   * True when the state says `stream` was extracted to the end before: it has a bookmark, or the
   * empty entry a finished FULL_TABLE stream leaves (see `complete`). A stream selected for the first
   * time is read for every parent, whatever its parent's bookmark.
   */
  wasSynced(stream: string): boolean {
    return stream in this.readBookmarks();
  }

  /** Notes a record's replication key value. */
  observe(stream: string, key: string, value: unknown): void {
    if (typeof value !== 'string') return;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return;
    const progress = this.progress.get(stream);
    if (!progress) this.progress.set(stream, { key, maxMs: ms, maxValue: value });
    else if (ms > progress.maxMs) {
      progress.maxMs = ms;
      progress.maxValue = value;
    }
  }

  /**
   * The stream finished: its highest value seen (capped at the signpost) becomes its bookmark. A stream
   * without one (FULL_TABLE, or nothing seen) keeps its entry, or gets an empty one, so that the next
   * run knows it was read (see `wasSynced`).
   */
  complete(stream: string): void {
    const progress = this.progress.get(stream);
    if (!progress) {
      this.bookmarks()[stream] ??= {};
      return;
    }
    this.progress.delete(stream);
    const previous = this.readBookmarks()[stream] as Json | undefined;
    const previousMs = previous ? Date.parse(bookmarkValue(previous) ?? '') : Number.NaN;
    if (!Number.isNaN(previousMs) && previous?.['replication_key'] === progress.key && previousMs >= progress.maxMs) return;
    const value = progress.maxMs > this.signpostMs ? this.signpost : progress.maxValue;
    this.bookmarks()[stream] = { replication_key: progress.key, replication_key_value: value };
  }

  /**
   * The state to write now: committed bookmarks, progress markers for streams still running, and
   * while the run is unfinished the top-level streams already done.
   */
  value(): Json {
    const resume = this.resumeMarker();
    if (this.progress.size === 0) return { ...this.state, ...resume };
    const value: Json = { ...this.state, bookmarks: structuredClone(this.readBookmarks()), ...resume };
    const bookmarks = value['bookmarks'] as Json;
    for (const [stream, progress] of this.progress) {
      bookmarks[stream] = {
        ...(bookmarks[stream] as Json | undefined),
        progress_markers: {
          Note: 'Progress is not resumable if interrupted.',
          replication_key: progress.key,
          replication_key_value: progress.maxValue,
        },
      };
    }
    return value;
  }

  /**
   * What value() holds besides the input's unchanged keys, as text: two states with the same
   * fingerprint are the same state. Cheap whatever the size of the input.
   */
  get fingerprint(): string {
    return JSON.stringify([this.readBookmarks(), [...this.progress], this.resumeMarker()]);
  }

  /** About how long value() is as JSON: the input's other keys (measured once) and the fingerprint. */
  get approximateBytes(): number {
    this.otherBytes ??= JSON.stringify({ ...this.state, bookmarks: undefined }).length;
    return this.otherBytes + this.fingerprint.length;
  }

  /** True once there is something worth writing (a STATE is never empty). */
  get hasContent(): boolean {
    // Derived from what value() would hold, without building (and cloning) it.
    return (
      Object.keys(this.state).some((k) => k !== 'bookmarks') ||
      Object.keys(this.readBookmarks()).length > 0 ||
      this.progress.size > 0 ||
      (!this.finished && this.completedRoots.size > 0)
    );
  }

  /**
   * A Meltano SDK state keeps one entry per parent under `partitions`; ours keeps one bookmark per
   * stream. Partitioned bookmarks become a single one (their lowest value, so nothing is skipped), or
   * disappear when they hold no value (the SDK's full-table children), so they are not carried forever.
   */
  private collapsePartitions(): void {
    const bookmarks = this.readBookmarks();
    for (const [stream, bookmark] of Object.entries(bookmarks)) {
      const entry = bookmark as Json;
      if (!Array.isArray(entry['partitions'])) continue;
      const value = bookmarkValue(entry);
      const first = entry['partitions'][0] as Json | undefined;
      if (value === undefined) delete bookmarks[stream];
      else bookmarks[stream] = { replication_key: entry['replication_key'] ?? first?.['replication_key'], replication_key_value: value };
    }
  }

  private resumeMarker(): Json {
    return !this.finished && this.completedRoots.size > 0 ? { [RESUME_KEY]: { completed: [...this.completedRoots].sort() } } : {};
  }

  /** The bookmarks, created in the state on the first write only: a run that wrote none gives back its input state. */
  private bookmarks(): Json {
    return (this.state['bookmarks'] ??= {}) as Json;
  }

  private readBookmarks(): Json {
    return (this.state['bookmarks'] ?? {}) as Json;
  }
}

/** A bookmark's value, or for an SDK bookmark kept per partition the lowest partition value (no record is skipped). */
function bookmarkValue(bookmark: Json): string | undefined {
  if (typeof bookmark['replication_key_value'] === 'string') return bookmark['replication_key_value'];
  const partitions = bookmark['partitions'];
  if (!Array.isArray(partitions)) return undefined;
  const values = partitions
    .map((p: unknown) => (p && typeof p === 'object' ? (p as Json)['replication_key_value'] : undefined))
    .filter((v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)));
  if (values.length === 0 || values.length < partitions.length) return undefined;
  return values.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}
