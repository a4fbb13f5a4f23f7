/** Work that runs in a granted slot and calls `release` once it no longer needs it. */
export type Task = (release: () => void) => void;

/** Tasks pulled one at a time, only when a slot is free: a page of parents is turned into child tasks lazily. */
export interface TaskSource {
  /** The next task, or undefined once the source is exhausted. */
  next(): Task | undefined;
}

/**
 * The bound on fan-out: at most `limit` tasks (one page request of one partition, with its retries)
 * run at once, whatever the catalog, the depth of the stream tree or the number of consumers.
 *
 * Deeper work goes first: a parent's next page is offered at its own depth, behind the children of its
 * current page, so a parent moves on once those children have started (not finished: one child in
 * backoff does not idle the run), and at most one page of parents per partition waits for its
 * children. Within a depth, a partition's next page goes ahead of partitions not started yet, so the
 * partitions in progress are about as many as the tasks running; otherwise first offered, first
 * served. What waits is sources and their cursor position, never records.
 */
export class FanOutScheduler {
  private running = 0;
  private pumping = false;
  private peak = 0;
  /** Queued sources per depth; index = depth. */
  private readonly queues: TaskSource[][] = [];

  constructor(readonly limit: number) {}

  get peakRunning(): number {
    return this.peak;
  }

  /**
   * Queues `source` at `depth`; returns a function that withdraws whatever it has not started.
   * `first`: ahead of what waits at that depth (a partition's next page, so that partitions in
   * progress finish before new ones start and their number stays bounded).
   */
  offer(depth: number, source: TaskSource, first = false): () => void {
    const queue = (this.queues[depth] ??= []);
    if (first) queue.unshift(source);
    else queue.push(source);
    this.pump();
    return () => {
      const at = queue.indexOf(source);
      if (at >= 0) queue.splice(at, 1);
    };
  }

  private pump(): void {
    // A task may release or offer synchronously; the loop already running picks that up.
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.pumpLoop();
    } finally {
      this.pumping = false;
    }
  }

  private pumpLoop(): void {
    while (this.running < this.limit) {
      const task = this.nextTask();
      if (task === undefined) return;
      this.running += 1;
      this.peak = Math.max(this.peak, this.running);
      let released = false;
      task(() => {
        if (released) return;
        released = true;
        this.running -= 1;
        this.pump();
      });
    }
  }

  private nextTask(): Task | undefined {
    for (let depth = this.queues.length - 1; depth >= 0; depth -= 1) {
      const queue = this.queues[depth];
      while (queue && queue.length > 0) {
        const task = queue[0]!.next();
        if (task !== undefined) return task;
        queue.shift();
      }
    }
    return undefined;
  }
}

/** A source of exactly one task. */
export function single(task: Task): TaskSource {
  let taken = false;
  return {
    next: () => {
      if (taken) return undefined;
      taken = true;
      return task;
    },
  };
}
