/** Releases a slot taken with `acquire`; calling it twice is harmless. */
export type Release = () => void;

export interface ConcurrencyLimiterOptions {
  /** The ceiling: never more requests in flight than this. */
  readonly max: number;
  /** Successful requests needed to raise the limit by one after a throttle shrank it. */
  readonly recoverAfter?: number;
}

/**
 * One process-wide gate for HTTP requests: at most `limit` in flight, waiters served first come first served.
 * Adaptive: each throttle (429) halves the limit, then every `recoverAfter` successes raise it by one
 * up to `max`, so a big run backs off quickly under Sigma's undocumented limits and recovers slowly.
 * The queue holds only resolver callbacks, never data.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private current: number;
  private successesSinceChange = 0;
  private peak = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly recoverAfter: number;

  constructor(private readonly options: ConcurrencyLimiterOptions) {
    this.current = options.max;
    this.recoverAfter = options.recoverAfter ?? 20;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  get peakInFlight(): number {
    return this.peak;
  }

  acquire(): Promise<Release> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.active += 1;
        this.peak = Math.max(this.peak, this.active);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active -= 1;
          this.drain();
        });
      };
      if (this.active < this.current && this.waiters.length === 0) grant();
      else this.waiters.push(grant);
    });
  }

  /** A request was throttled: halve the limit (never below 1). */
  throttled(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successesSinceChange = 0;
  }

  /** A request succeeded: after enough of them, allow one more in flight. */
  succeeded(): void {
    if (this.current >= this.options.max) return;
    this.successesSinceChange += 1;
    if (this.successesSinceChange >= this.recoverAfter) {
      this.current += 1;
      this.successesSinceChange = 0;
      this.drain();
    }
  }

  private drain(): void {
    while (this.active < this.current && this.waiters.length > 0) this.waiters.shift()!();
  }
}
