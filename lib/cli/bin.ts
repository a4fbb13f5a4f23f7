#!/usr/bin/env -S node --max-semi-space-size=2
// The flag: V8's default 16 MB semi-spaces keep some 30 MB of young garbage around; 2 MB keeps the
// tap's peak RSS under 150 MB with a slow reader at no measurable cost in throughput (bench/).
import { setMaxListeners } from 'node:events';
import { streams } from '../../pipelines/index.js';
import { main } from './main.js';

const controller = new AbortController();
// Every request in flight listens on this one signal; their number is bounded by `concurrency`, not 10.
setMaxListeners(0, controller.signal);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
// The writer reports EPIPE itself; without a listener Node would throw it as an uncaught exception.
process.stdout.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, streams);
