#!/usr/bin/env node
// The signal handlers come first, before the modules load (a few hundred milliseconds): a SIGTERM at
// any moment, start-up included, stops the run cleanly with a final STATE and exit 0.
import { setMaxListeners } from 'node:events';

const controller = new AbortController();
// Every request in flight listens on this one signal; their number is bounded by `concurrency`, not 10.
setMaxListeners(0, controller.signal);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
// The output pipeline reports EPIPE itself; without a listener Node would throw it as an uncaught exception.
process.stdout.on('error', () => undefined);

const [{ streams }, { main }] = await Promise.all([import('../../pipelines/index.js'), import('./main.js')]);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, streams);
