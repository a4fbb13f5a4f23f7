#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { holdYoungGenerationAt } from './youngGeneration.js';

// The signal handlers come first, before the modules load (a few hundred milliseconds): a SIGTERM at
// any moment, start-up included, stops the run cleanly with a final STATE and exit 0. (Only while Node
// itself boots, the few tens of milliseconds before this line runs, does a signal end the process the
// default way: no program code runs yet.) SIGHUP, a closed terminal, stops the run the same way; Node
// catches it for no one else, so /proc/<pid>/status shows the moment these handlers are in place.
const controller = new AbortController();
// Every request in flight listens on this one signal; their number is bounded by `concurrency`, not 10.
setMaxListeners(0, controller.signal);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => controller.abort());
// The output pipeline reports EPIPE itself; without a listener Node would throw it as an uncaught exception.
process.stdout.on('error', () => undefined);

// Records waiting for a slow target outlive V8's young generation, and by default V8 lets the old one
// grow to about four times the live heap before collecting it, and grows the young one to 16 MB a
// semi-space: most of the RSS. These heuristics are read as the process runs, so the process sets them
// itself, however it was started (`tap-sigma`, `npx tap-sigma`, `node dist/lib/cli/bin.js`): the old
// generation grows by half its live size at most, the young one up to 8 MB. bench/ shows the RSS and
// CPU this trades. The library never does this: V8 flags belong to the process's owner.
setFlagsFromString('--heap-growing-percent=50');
holdYoungGenerationAt(8 * 1024 * 1024);

const [{ streams }, { main }] = await Promise.all([import('../../pipelines/index.js'), import('./main.js')]);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, streams);
