import { ALWAYS_OPEN, type DemandGate } from './demandGate.js';
import { GatedQueue } from './GatedQueue.js';

export interface RateLimiterOptions {
  /** Requests allowed in any window. */
  readonly perWindow: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

/**
 * A sliding-window limit on requests *sent*, for an API that counts requests per minute rather than
 * requests in flight (Sigma's 400 export and download requests per minute). A request is let through
 * only while fewer than `perWindow` were sent in the last `windowMs`, and, like RequestLimiter, only
 * while its consumer's gate is open (GatedQueue).
 *
 * A window that slides is the strictest reading of "per minute": a client that stays under it also
 * stays under any fixed-minute counter. A 429 means the server counts more than this client sent (other
 * clients of the organization share its limit): `pause` holds every request back for the time it asks.
 *
 * @example
 * const limiter = new RateLimiter({ perWindow: 400, windowMs: 61_000 });
 * await limiter.acquire(gate, signal); // then send
 */
export class RateLimiter {
  /** Send times in the window, oldest first; those before `head` have left it. */
  private sent: number[] = [];
  private head = 0;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly waiters = new GatedQueue(() => this.drain());
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.perWindow >= 1)) throw new RangeError(`perWindow must be at least 1, got ${options.perWindow}`);
    this.now = options.now ?? Date.now;
  }

  /** The most requests this limiter ever let through within one window. */
  get peakInWindow(): number {
    return this.peak;
  }

  /** Resolves when the request may be sent (and counts it as sent); rejects when `signal` aborts first. */
  acquire(gate: DemandGate = ALWAYS_OPEN, signal?: AbortSignal): Promise<void> {
    const granted = this.waiters.enqueue(gate, signal, () => this.record());
    this.drain();
    return granted;
  }

  /** The server throttled a request: nothing is let through for `ms`. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private drain(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.waiters.grant(() => this.available());
    // Waiters behind an open gate wait for the window (or a pause) to end; the others for their gate.
    if (this.waiters.length > 0 && !this.waiters.allClosed) this.timer = setTimeout(() => this.drain(), this.nextFreeAt() - this.now());
  }

  private available(): boolean {
    const now = this.now();
    if (now < this.pausedUntil) return false;
    while (this.head < this.sent.length && this.sent[this.head]! <= now - this.options.windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent = this.sent.slice(this.head);
      this.head = 0;
    }
    return this.sent.length - this.head < this.options.perWindow;
  }

  private record(): void {
    this.sent.push(this.now());
    this.peak = Math.max(this.peak, this.sent.length - this.head);
  }

  /** When the next request may go: the end of a pause, or when the oldest send leaves the window. */
  private nextFreeAt(): number {
    const full = this.sent.length - this.head >= this.options.perWindow;
    const windowFree = full ? this.sent[this.head]! + this.options.windowMs + 1 : this.now();
    return Math.max(this.pausedUntil, windowFree);
  }
}
