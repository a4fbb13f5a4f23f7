#!/usr/bin/env node
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
