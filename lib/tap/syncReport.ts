import type { Logger } from '../log/logger.js';

/** Why an entry Sigma sent did not become a record. */
export type DropReason = 'not an object' | 'an error entry' | 'no usable primary key' | 'a duplicated primary key' | 'nested too deep' | 'not serializable';

/** What `--test` found for one stream. */
export type Availability = 'available' | 'forbidden' | 'not found' | 'not enabled' | 'no parent to test with' | 'error';

export interface UnavailableStream {
  readonly stream: string;
  readonly status: number | undefined;
  readonly reason: string;
}

interface Tally {
  count: number;
  readonly first: string;
}

/**
 * What a sync skipped, and why, so that nothing is skipped silently: each unavailable stream is
 * warned about once when it is found; skipped parents and dropped entries are counted and warned
 * about once per stream at the end, with their count (per reason) and the first case.
 */
export class SyncReport {
  private readonly unavailable = new Map<string, UnavailableStream>();
  /** Streams skipped because an ancestor is unavailable. */
  private readonly skippedWith = new Set<string>();
  private readonly skippedParents = new Map<string, Tally>();
  private readonly answered = new Map<string, Tally>();
  private readonly unchanged = new Map<string, number>();
  private readonly dropped = new Map<string, Map<DropReason, Tally>>();
  private readonly availability = new Map<string, { readonly availability: Availability; readonly detail: string }>();

  /** @param selectedStreams the streams the catalog selected, in plan order */
  /**
   * @param selectedStreams the streams the catalog selected, in plan order
   * @param partialStreams streams this run reads only for changed parents (their own, or an ancestor's)
   */
  constructor(
    private readonly logger: Logger,
    readonly selectedStreams: readonly string[],
    private readonly partialStreams: ReadonlySet<string> = new Set(),
  ) {}

  /** A top-level stream whose endpoint is not offered to this client; its descendants are skipped. */
  streamUnavailable(entry: UnavailableStream, descendants: readonly string[]): void {
    if (this.unavailable.has(entry.stream)) return;
    this.unavailable.set(entry.stream, entry);
    for (const name of descendants) this.skippedWith.add(name);
    const children = descendants.length > 0 ? `; its child streams (${descendants.join(', ')}) are skipped` : '';
    this.logger.warn(`stream '${entry.stream}' is unavailable: ${entry.reason} (${meaning(entry.status)})${children}; ${remedy(entry.status)}, deselect it, or set unavailable_streams to fail to make this an error`);
  }

  /** A child partition skipped because its endpoint refused this parent (admin only, deleted meanwhile, …). */
  parentSkipped(stream: string, detail: string): void {
    tally(this.skippedParents, stream, detail);
    this.logger.debug(`${stream}: skipped ${detail}`);
  }

  /** A child partition whose endpoint answered a status it declares as "nothing here" (lineage's 500). */
  declaredAnswer(stream: string, detail: string): void {
    tally(this.answered, stream, detail);
  }

  /** A child stream not read for a parent unchanged since its bookmark (incremental runs). */
  unchangedParent(stream: string): void {
    this.unchanged.set(stream, (this.unchanged.get(stream) ?? 0) + 1);
  }

  /** Entries of `stream` that did not become records. */
  drop(stream: string, reason: DropReason, count: number, detail: string): void {
    if (count <= 0) return;
    const byReason = this.dropped.get(stream) ?? new Map<DropReason, Tally>();
    this.dropped.set(stream, byReason);
    const entry = byReason.get(reason);
    if (entry) entry.count += count;
    else byReason.set(reason, { count, first: detail });
  }

  /** `--test`: what one stream's first request showed. */
  tested(stream: string, availability: Availability, detail = ''): void {
    if (!this.availability.has(stream)) this.availability.set(stream, { availability, detail });
  }

  get unavailableStreams(): readonly UnavailableStream[] {
    return [...this.unavailable.values()];
  }

  /** True for a stream that is unavailable or below an unavailable stream. */
  wasSkipped(stream: string): boolean {
    return this.unavailable.has(stream) || this.skippedWith.has(stream);
  }

  /** Selected streams that were read: neither unavailable nor below an unavailable stream. */
  get syncedStreams(): readonly string[] {
    return this.selectedStreams.filter((name) => !this.wasSkipped(name));
  }

  /** The one line that ends a run. A stopped run does not know which streams it finished: it says what it did. */
  summaryLine(run: { readonly records: number; readonly requests: number; readonly seconds: number; readonly aborted: boolean }): string {
    if (run.aborted) return `stopped early by a signal: ${run.records} records from ${run.requests} requests in ${run.seconds.toFixed(1)} s; the final STATE resumes from there`;
    const unavailable = this.selectedStreams.filter((name) => this.wasSkipped(name));
    const skipped = unavailable.length === 0 ? '0 unavailable' : `${unavailable.length} unavailable (${unavailable.join(', ')})`;
    return `sync finished: ${this.syncedStreams.length} streams synced, ${skipped}; ${run.records} records from ${run.requests} requests in ${run.seconds.toFixed(1)} s`;
  }

  /** True for a stream this incremental run reads only for parents changed since their bookmark. */
  readsOnlyChangedParents(stream: string): boolean {
    return this.partialStreams.has(stream);
  }

  /**
   * Whether every partition of `stream` was read: it is not unavailable, no parent was skipped, and it
   * is not a stream this incremental run reads only for changed parents.
   */
  readComplete(stream: string): boolean {
    return !this.unavailable.has(stream) && !this.skippedWith.has(stream) && !this.skippedParents.has(stream) && !this.partialStreams.has(stream);
  }

  get availabilities(): ReadonlyMap<string, { readonly availability: Availability; readonly detail: string }> {
    return this.availability;
  }

  /** Entries dropped per stream and reason (for the metrics). */
  droppedCounts(): ReadonlyMap<string, ReadonlyMap<DropReason, number>> {
    return new Map([...this.dropped].map(([stream, byReason]) => [stream, new Map([...byReason].map(([reason, t]) => [reason, t.count]))]));
  }

  /** The end-of-run warnings: one per stream for skipped parents, one per stream for dropped entries (with each reason's count). */
  logTallies(): void {
    for (const [stream, t] of this.skippedParents) {
      this.logger.warn(`${stream}: skipped ${t.count} parent${t.count === 1 ? '' : 's'} whose child endpoint refused them (first: ${t.first})`);
    }
    for (const [stream, t] of this.answered) {
      this.logger.info(`${stream}: ${t.count} parent${t.count === 1 ? '' : 's'} had nothing to read (first: ${t.first})`);
    }
    for (const [stream, count] of this.unchanged) {
      this.logger.info(`${stream}: not read for ${count} parent${count === 1 ? '' : 's'} unchanged since the bookmark`);
    }
    for (const [stream, byReason] of this.dropped) {
      const total = [...byReason.values()].reduce((sum, t) => sum + t.count, 0);
      const reasons = [...byReason].map(([reason, t]) => `${reason}: ${t.count} (first: ${t.first})`).join('; ');
      this.logger.warn(`${stream}: dropped ${total} entr${total === 1 ? 'y' : 'ies'}, ${reasons}`);
    }
  }
}

function tally(map: Map<string, Tally>, stream: string, detail: string): void {
  const entry = map.get(stream);
  if (entry) entry.count += 1;
  else map.set(stream, { count: 1, first: detail });
}

function meaning(status: number | undefined): string {
  if (status === 403) return 'forbidden: this client lacks the permission, or the plan does not include it';
  if (status === 404) return 'not found: the feature is not enabled for this organization or region';
  if (status === 400) return 'not enabled for this organization';
  return 'not offered to this client';
}

function remedy(status: number | undefined): string {
  return status === 403 ? 'use an admin client (or one whose account type has the permission)' : 'ask Sigma to enable the feature';
}
