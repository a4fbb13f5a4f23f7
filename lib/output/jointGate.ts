import type { DemandGate } from '../http/demandGate.js';

/**
 * A gate open only while every one of `gates` is open: a sync paced by its reader and by the files
 * it writes (BATCH), whichever is slower.
 * Contract: `onOpen` fires once, when all are open at the same moment; cancelling it cancels the wait.
 * @example jointGate(readable.gate, batchFiles.gate).open // false while either is closed
 */
export function jointGate(...gates: readonly DemandGate[]): DemandGate {
  return {
    get open() {
      return gates.every((gate) => gate.open);
    },
    onOpen(listener) {
      let cancel: (() => void) | undefined;
      let cancelled = false;
      const check = (): void => {
        if (cancelled) return;
        const closed = gates.find((gate) => !gate.open);
        if (closed === undefined) listener();
        else cancel = closed.onOpen(check);
      };
      check();
      return () => {
        cancelled = true;
        cancel?.();
      };
    },
  };
}
