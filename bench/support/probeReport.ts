import { fileURLToPath } from 'node:url';

/** The preload to pass as `--import` to a child; see heapProbe.ts. */
export const HEAP_PROBE = fileURLToPath(new URL('./heapProbe.js', import.meta.url));

export const PROBE_PREFIX = 'bench-probe: ';

/** What the heap probe reports about the process it was preloaded into. */
export interface ProbeReport {
  /** The median heap in use just after the run's full (mark-compact) GCs: what the tap actually keeps. */
  readonly liveHeapMb: number;
  /** The most bytes ever waiting in process.stdout's buffer. */
  readonly maxStdoutBufferMb: number;
  readonly majorGcs: number;
}

/** Reads the probe's line out of a child's stderr; undefined when absent. */
export function parseProbe(stderr: string): ProbeReport | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(PROBE_PREFIX));
  return line ? (JSON.parse(line.slice(PROBE_PREFIX.length)) as ProbeReport) : undefined;
}
