/**
 * The floor of the CPU-bound benchmark: the least a program can do to extract the same records.
 * It fetches the same pages as the tap (a list, then two child lists per parent, following `nextPage`
 * cursors, `concurrency` requests in flight over keep-alive node:http) and writes each entry as
 * `JSON.stringify({type: 'RECORD', stream, record, time_extracted})` lines, waiting for 'drain'.
 * No axios, no RxJS, no record shaping, no schema validation, no STATE: what the tap spends beyond
 * this is its overhead.
 *
 * Run: `node dist/bench/support/floor.js '<FloorPlan as JSON>'`; Singer RECORD lines on stdout.
 */
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface FloorPlan {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly concurrency: number;
  readonly pageSize: number;
  /** A top-level list paged with `limit`/`page`/`nextPage`, e.g. `/v2/workbooks`. */
  readonly root: { readonly stream: string; readonly path: string; readonly params: Readonly<Record<string, string>>; readonly idField: string };
  /** Lists under each root entry, e.g. `/v2/workbooks/{id}/columns`. */
  readonly children: ReadonlyArray<{ readonly stream: string; readonly path: string }>;
}

interface Task {
  readonly stream: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly cursor?: string;
  readonly isRoot: boolean;
}

function fetchText(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export async function runFloor(plan: FloorPlan): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const token = JSON.parse(
    await fetchText(agent, `${plan.url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: plan.clientId, client_secret: plan.clientSecret }).toString(),
    }),
  ) as { access_token: string };
  const headers = { authorization: `Bearer ${token.access_token}`, accept: 'application/json' };
  const queue: Task[] = [{ ...plan.root, isRoot: true }];
  const idle: Array<() => void> = [];
  let active = 0;
  const wake = (): void => {
    for (const resolve of idle.splice(0)) resolve();
  };

  const runTask = async (task: Task): Promise<void> => {
    const query = new URLSearchParams({ ...task.params, limit: String(plan.pageSize), ...(task.cursor ? { page: task.cursor } : {}) });
    const body = JSON.parse(await fetchText(agent, `${plan.url}${task.path}?${query.toString()}`, { headers })) as { entries: Array<Record<string, unknown>>; nextPage?: string | null };
    const timeExtracted = new Date().toISOString();
    let text = '';
    for (const record of body.entries) text += `${JSON.stringify({ type: 'RECORD', stream: task.stream, record, time_extracted: timeExtracted })}\n`;
    if (body.nextPage) queue.push({ ...task, cursor: body.nextPage });
    if (task.isRoot) {
      for (const entry of body.entries) {
        const id = encodeURIComponent(String(entry[plan.root.idField]));
        for (const child of plan.children) queue.push({ stream: child.stream, path: child.path.replace('{id}', id), params: {}, isRoot: false });
      }
    }
    wake();
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const task = queue.shift();
      if (task === undefined) {
        if (active === 0) return wake();
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      active += 1;
      await runTask(task);
      active -= 1;
      wake();
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  agent.destroy();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runFloor(JSON.parse(process.argv[2] ?? '{}') as FloorPlan);
}
