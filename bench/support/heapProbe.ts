/**
 * Preloaded into the tap (`node --import dist/bench/support/heapProbe.js dist/lib/cli/bin.js …`) to tell
 * apart the two things a peak RSS mixes up: data the tap holds (its heap just after full GCs, and the
 * bytes waiting in stdout's buffer) and room V8 keeps for garbage between collections. Observation
 * only: it samples every 20 ms and writes one line to stderr when the process exits:
 * `bench-probe: {"liveHeapMb": …, "maxStdoutBufferMb": …, "majorGcs": …}`. Import it nowhere else.
 * @see parseProbe
 */
import { writeSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { PROBE_PREFIX, type ProbeReport } from './probeReport.js';

{
  const afterMajor: number[] = [];
  let buffered = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as unknown as { detail?: { kind?: number } }).detail;
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      // Observers run a little after the GC: the heap has grown by what was allocated since, so the
      // median over the run's full GCs is taken, not the maximum.
      afterMajor.push(process.memoryUsage().heapUsed);
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    buffered = Math.max(buffered, process.stdout.writableLength);
  }, 20).unref();
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  process.on('exit', () => {
    const sorted = afterMajor.sort((a, b) => a - b);
    const live = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const report: ProbeReport = { liveHeapMb: mb(live), maxStdoutBufferMb: mb(buffered), majorGcs: sorted.length };
    writeSync(2, `${PROBE_PREFIX}${JSON.stringify(report)}\n`);
  });
}
