#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';

// The signal handlers come first, before the modules load (a few hundred milliseconds): a SIGTERM at
// any moment, start-up included, stops the run cleanly with a final STATE and exit 0.
const controller = new AbortController();
// Every request in flight listens on this one signal; their number is bounded by `concurrency`, not 10.
setMaxListeners(0, controller.signal);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
// The output pipeline reports EPIPE itself; without a listener Node would throw it as an uncaught exception.
process.stdout.on('error', () => undefined);

// Records waiting for a slow target outlive V8's young generation, and by default V8 lets the old one
// grow to about four times the live heap before collecting it, and grows the young one to 32 MB: most
// of the RSS. These two heuristics are read as the process runs, so the process sets them itself,
// however it was started (`tap-sigma`, `npx tap-sigma`, `node dist/lib/cli/bin.js`): the old
// generation grows by half its live size at most, the young one keeps its initial size. bench/ shows
// the RSS this saves and the CPU it costs. The library never does this: V8 flags belong to the
// process's owner.
setFlagsFromString('--heap-growing-percent=50');
setFlagsFromString('--semi-space-growth-factor=1');

const [{ streams }, { main }] = await Promise.all([import('../../pipelines/index.js'), import('./main.js')]);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, streams);
