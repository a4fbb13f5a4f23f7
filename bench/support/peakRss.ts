import { readFileSync } from 'node:fs';

/** Peak resident set of a live Linux process, in MB (VmHWM of /proc/<pid>/status); NaN when unreadable. */
export function readPeakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Follows a child's peak RSS while it runs. VmHWM is the kernel's own high-water mark, so sampling it
 * misses nothing that happened before the last sample; it cannot be read once the child is reaped,
 * hence the polling (every 25 ms) and a last read when its stdout ends, just before it exits.
 */
export function watchPeakRss(pid: number, everyMs = 25): { sample(): void; stop(): number } {
  let peak = Number.NaN;
  const sample = (): void => {
    const now = readPeakRssMb(pid);
    if (!Number.isNaN(now) && !(now <= peak)) peak = now;
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      return Math.round(peak * 10) / 10;
    },
  };
}
