#!/usr/bin/env node
import { streams } from '../../pipelines/index.js';
import { main } from './main.js';

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
// The writer reports EPIPE itself; without a listener Node would throw it as an uncaught exception.
process.stdout.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, streams);
