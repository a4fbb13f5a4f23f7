/**
 * Whether whoever reads the tap's output wants more now. A request takes its slot only while its
 * consumer's gate is open, so the reader's pace travels back to the HTTP requests: a closed gate means
 * no new request for that consumer, whatever else is going on.
 */
export interface DemandGate {
  readonly open: boolean;
  /** Calls `listener` once, the next time the gate opens (at once if it is open). Returns a canceller. */
  onOpen(listener: () => void): () => void;
}

/** A gate that never closes: Observable subscribers, whose `next` is a synchronous push. */
export const ALWAYS_OPEN: DemandGate = {
  open: true,
  onOpen(listener) {
    listener();
    return () => undefined;
  },
};

/** A gate opened and closed by its owner (a Readable's `_read`, an async iterator's `next`). */
export class SwitchGate implements DemandGate {
  private listeners: Array<() => void> = [];
  private isOpen: boolean;

  constructor(initiallyOpen = true) {
    this.isOpen = initiallyOpen;
  }

  get open(): boolean {
    return this.isOpen;
  }

  set(open: boolean): void {
    if (open === this.isOpen) return;
    this.isOpen = open;
    if (!open) return;
    const waiting = this.listeners;
    this.listeners = [];
    for (const listener of waiting) listener();
  }

  onOpen(listener: () => void): () => void {
    if (this.isOpen) {
      listener();
      return () => undefined;
    }
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
