import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OrgSizes, SimulatorStats } from '../../fixtures/index.js';

const CLI = fileURLToPath(new URL('../../fixtures/cli.js', import.meta.url));

export interface SimulatorProcessOptions {
  readonly seed: number;
  readonly sizes?: Partial<OrgSizes>;
  readonly latencyMs?: number;
  /** Share of GETs answered with a fault of any kind (`--fault-rate`). */
  readonly faultRate?: number;
  /** Edit rounds on top of the base organization (`--revision`). */
  readonly revision?: number;
  /** Answer 429 to requests beyond this many in flight (a per-organization limit); absent, no limit. */
  readonly maxConcurrent?: number;
}

/** A simulator serving in its own process, so it never shares an event loop with the bench or the tap. */
export interface SimulatorProcess {
  readonly url: string;
  readonly admin: { readonly clientId: string; readonly clientSecret: string };
  readonly pid: number;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Starts `node dist/fixtures/cli.js` with the given organization, latency and faults. The token endpoint's
 * 1 request/second limit is lifted: back-to-back runs would otherwise wait out a 429 on their first
 * request and the wait would be timed as the tap's.
 */
export async function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const args = [CLI, '--seed', String(options.seed), '--token-requests-per-second', '1000000'];
  for (const [knob, value] of Object.entries(options.sizes ?? {})) args.push(`--${kebab(knob)}`, String(value));
  if (options.latencyMs) args.push('--latency-ms', String(options.latencyMs));
  if (options.faultRate) args.push('--fault-rate', String(options.faultRate));
  if (options.revision) args.push('--revision', String(options.revision));
  if (options.maxConcurrent) args.push('--max-concurrent', String(options.maxConcurrent));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${stderr.trim()}`)));
  });
  const { url, credentials } = JSON.parse(firstLine) as { url: string; credentials: { admin: { clientId: string; clientSecret: string } } };
  // A simulator that ends before stop() says how, instead of leaving the bench an ECONNREFUSED.
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`simulator process ended unexpectedly (${code ?? signal}): ${stderr.trim().split('\n').slice(-8).join('\n')}\n`);
  });
  return {
    url,
    admin: credentials.admin,
    pid: child.pid as number,
    stats: async () => JSON.parse(await call(`${url}/__stats`, 'GET')) as SimulatorStats,
    resetStats: async () => void (await call(`${url}/__reset-stats`, 'POST')),
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Requests in a stats snapshot, without the token endpoint (the tap mints one token per run). */
export function apiRequests(stats: SimulatorStats): number {
  return countRequests(stats, (endpoint) => !endpoint.startsWith('POST '));
}

/** Requests in a stats snapshot to the endpoints (`GET /v2/…` templates) `counted` accepts, whatever their status. */
export function countRequests(stats: SimulatorStats, counted: (endpoint: string) => boolean): number {
  let total = 0;
  for (const [endpoint, byStatus] of Object.entries(stats.byEndpoint)) {
    if (counted(endpoint)) for (const count of Object.values(byStatus)) total += count;
  }
  return total;
}

function call(url: string, method: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
