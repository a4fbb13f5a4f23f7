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

/** CPU time (user + system, all threads) a live Linux process has used so far, in ms; NaN when unreadable. */
export function readCpuMs(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SEC = 100;

/**
 * Follows a child's peak RSS (and CPU time) while it runs. VmHWM is the kernel's own high-water mark, so sampling it
 * misses nothing that happened before the last sample; it cannot be read once the child is reaped,
 * hence the polling (every 25 ms) and a last read when its stdout ends, just before it exits.
 */
export function watchPeakRss(pid: number, everyMs = 25): { sample(): void; stop(): number; cpuMs(): number } {
  let peak = Number.NaN;
  let cpu = Number.NaN;
  const sample = (): void => {
    const now = readPeakRssMb(pid);
    if (!Number.isNaN(now) && !(now <= peak)) peak = now;
    const used = readCpuMs(pid);
    if (!Number.isNaN(used)) cpu = used;
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      return Math.round(peak * 10) / 10;
    },
    /** CPU time at the last sample, which is at most `everyMs` before the process exited. */
    cpuMs: () => cpu,
  };
}
