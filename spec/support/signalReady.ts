import { readFileSync } from 'node:fs';

/** Bit of SIGHUP (signal 1) in the SigCgt mask of /proc/<pid>/status. */
const SIGHUP_BIT = 1n;

/**
 * Resolves once the process `pid` catches SIGHUP, which the tap's bin does in the same statement as
 * SIGTERM and SIGINT, first thing, before it loads its modules (Node catches SIGTERM and SIGINT itself
 * while it boots, SIGHUP not). The kernel's mask is read on every turn of the event loop: this waits
 * on the child's state, not on time.
 */
export function whenCatchingSignals(pid: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch (error) {
        return reject(error instanceof Error ? error : new Error(String(error)));
      }
      const mask = /SigCgt:\s+([0-9a-f]+)/.exec(status)?.[1];
      if (mask !== undefined && (BigInt(`0x${mask}`) & SIGHUP_BIT) !== 0n) resolve();
      else setImmediate(look);
    };
    look();
  });
}
