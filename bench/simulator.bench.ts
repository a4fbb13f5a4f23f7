/**
 * How fast the simulator answers, so that it is never the bottleneck when the tap is measured.
 *
 * The simulator runs in a child process (`node dist/fixtures/cli.js`, latency 0, no faults) so
 * that the load generator and the server do not share one event loop. 32 keep-alive clients fire
 * 20,000 GETs, each to a distinct URL under a workbook (pages, elements, columns, lineage, element
 * queries, …), so every answer is generated and serialized cold, as during a tap's crawl.
 *
 * Run: `npm run build && node dist/bench/simulator.bench.js`. Prints one JSON line:
 * `{scenario, requests, wallMs, requestsPerSec, peakRssMb, serverCpuMs, requestsPerServerCpuSec, node}`.
 * peakRssMb is the server process's peak resident set (VmHWM). requestsPerServerCpuSec divides the
 * requests by the CPU time the server process used: what one core of this machine sustains, even
 * when other work shares the cores and the wall-clock figure drops.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateOrganization } from '../fixtures/index.js';

const SEED = 1;
const WORKBOOKS = 500;
const REQUESTS = 20_000;
const CLIENTS = 32;
const CLI = fileURLToPath(new URL('../fixtures/cli.js', import.meta.url));

/** Distinct GET paths under the organization's workbooks, at least `count` of them. */
function workbookUrls(count: number): string[] {
  const org = generateOrganization(SEED, { workbooks: WORKBOOKS });
  const urls: string[] = [];
  const children = ['pages', 'elements', 'columns', 'controls', 'queries', 'lineage', 'tags', 'bookmarks', 'embeds', 'version-history', 'sources', 'schedules', 'materialization-schedules'];
  for (const workbook of org.workbooks) {
    const base = `/v2/workbooks/${workbook.workbookId}`;
    urls.push(base, ...children.map((child) => `${base}/${child}`), `/v2.1/workbooks/${workbook.workbookId}/schedules`);
    const content = org.content('workbook', workbook);
    for (const page of content.pages) urls.push(`${base}/pages/${String(page.pageId)}/elements`);
    for (const element of content.elements) {
      const id = String(element.entry.elementId);
      urls.push(`${base}/elements/${id}/columns`, `${base}/elements/${id}/query`, `${base}/lineage/elements/${id}`);
    }
  }
  if (urls.length < count) throw new Error(`only ${urls.length} distinct URLs for ${count} requests`);
  return urls.slice(0, count);
}

async function startServer(): Promise<{ url: string; admin: { clientId: string; clientSecret: string }; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [CLI, '--seed', String(SEED), '--workbooks', String(WORKBOOKS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const { url, credentials } = JSON.parse(firstLine) as { url: string; credentials: { admin: { clientId: string; clientSecret: string } } };
  return { url, admin: credentials.admin, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

/** One request; the body is kept only when asked for, so the load generator stays light. */
function send(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; keepBody?: boolean } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      if (init.keepBody) res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      else res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** CPU time (user + system) a Linux process has used, in ms; NaN where /proc is unavailable. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident set of a Linux process, in MB (VmHWM); NaN where /proc is unavailable. */
function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const server = await startServer();
try {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const token = await send(agent, `${server.url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: server.admin.clientId, client_secret: server.admin.clientSecret }).toString(),
    keepBody: true,
  });
  const headers = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}` };
  const urls = workbookUrls(REQUESTS);
  let next = 0;
  const statuses = new Map<number, number>();
  const cpuBefore = cpuMs(server.pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < urls.length) {
      const path = urls[next++] as string;
      const { status } = await send(agent, `${server.url}${path}`, { headers });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }));
  const wallMs = performance.now() - started;
  const serverCpuMs = cpuMs(server.pid) - cpuBefore;
  agent.destroy();
  // Element queries (404 for ~20%) and element lineage (403/500 for ~15%) refuse by design; anything else is a bug.
  const unexpected = [...statuses.keys()].filter((s) => ![200, 403, 404, 500].includes(s));
  if (unexpected.length > 0) throw new Error(`unexpected statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  process.stdout.write(`${JSON.stringify({
    scenario: 'simulator',
    requests: urls.length,
    wallMs: Math.round(wallMs),
    requestsPerSec: Math.round(urls.length / (wallMs / 1000)),
    peakRssMb: peakRssMb(server.pid),
    serverCpuMs,
    requestsPerServerCpuSec: Math.round(urls.length / (serverCpuMs / 1000)),
    node: process.version,
  })}\n`);
} finally {
  server.stop();
}
