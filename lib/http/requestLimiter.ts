import { ALWAYS_OPEN, type DemandGate } from './demandGate.js';
import { GatedQueue } from './GatedQueue.js';

/** A request's place on the wire; `release` it when the attempt is over (twice is harmless). */
export interface Slot {
  release(): void;
  /** The congestion window the slot was taken in: a 429 on it lowers the limit only if it is current. */
  readonly window: number;
}

export interface RequestLimiterOptions {
  /** The ceiling (`concurrency`): never more requests in flight than this. */
  readonly max: number;
  /** On a throttle the limit is multiplied by this (at most once per congestion window). */
  readonly decrease?: number;
  /**
   * Told once when nothing is in flight and every waiting request is held by a closed gate (the tap
   * waits for its readers), and once when requests flow again.
   */
  readonly onStall?: (waiting: number) => void;
  readonly onResume?: () => void;
}

/**
 * Successes needed before probing one more request in flight, even when the limit is small: at a
 * server cap of 2, probing after every 2 successes would draw a 429 for every third request.
 */
const MIN_PROBE_INTERVAL = 8;

/**
 * The one limiter of requests in flight, shared by every stream, partition and consumer of a Tap.
 *
 * Adaptive in TCP's way (AIMD), so that it settles near a server's real cap instead of collapsing: a
 * 429 multiplies the limit by `decrease`, but only for a request sent after the last decrease (the
 * 429s of one burst are one signal, not many), and every `limit` successes (at least
 * MIN_PROBE_INTERVAL) raise it by one. The default decrease, 0.9 (Netflix concurrency-limits' AIMD
 * backoff ratio), takes one off a limit below 10: at a server cap of 6 the limit moves between 6 and 7,
 * and random 429s (an injected 3% of requests) cost it little; 0.75 would leave it at 5 half the time.
 *
 * A waiter is granted a slot only while its gate is open (GatedQueue): the backpressure check sits
 * exactly where a request takes its slot, so no request starts while its consumer's output is above
 * its high-water mark. Waiters whose gate is closed do not hold up the others.
 */
export class RequestLimiter {
  private active = 0;
  private current: number;
  private successes = 0;
  private windowId = 0;
  private peak = 0;
  private readonly waiters = new GatedQueue(() => this.drain());
  private stalled = false;
  private readonly decrease: number;

  constructor(private readonly options: RequestLimiterOptions) {
    this.current = options.max;
    this.decrease = options.decrease ?? 0.9;
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

  /** Waits for the gate to be open and a slot to be free; rejects when `signal` aborts meanwhile. */
  acquire(gate: DemandGate = ALWAYS_OPEN, signal?: AbortSignal): Promise<Slot> {
    const granted = this.waiters.enqueue(gate, signal, () => this.take());
    this.drain();
    return granted;
  }

  /** The request on `slot` was throttled (429). */
  throttled(slot: Slot): void {
    if (slot.window !== this.windowId) return;
    this.windowId += 1;
    this.current = Math.max(1, Math.floor(this.current * this.decrease));
    this.successes = 0;
  }

  /** A request succeeded: one more in flight allowed after a window's worth of them. */
  succeeded(): void {
    if (this.current >= this.options.max) return;
    this.successes += 1;
    if (this.successes < Math.max(this.current, MIN_PROBE_INTERVAL)) return;
    this.successes = 0;
    this.current += 1;
    this.drain();
  }

  private take(): Slot {
    if (this.stalled) {
      this.stalled = false;
      this.options.onResume?.();
    }
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return {
      window: this.windowId,
      release: () => {
        if (released) return;
        released = true;
        this.active -= 1;
        this.drain();
      },
    };
  }

  private drain(): void {
    if (this.active >= this.current || this.waiters.length === 0) return;
    this.waiters.grant(() => this.active < this.current);
    if (!this.stalled && this.active === 0 && this.waiters.allClosed) {
      this.stalled = true;
      this.options.onStall?.(this.waiters.length);
    }
  }
}
