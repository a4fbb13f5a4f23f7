import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import { type Socket, createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** An answer of the real upstream (the simulator), read in full. */
export interface Upstream {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** What a test's handler gets for one request: the request, its response, and a way to ask the simulator. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path and query, e.g. `/v2/workbooks?limit=50`. */
  readonly url: string;
  /** `METHOD /path` without the query: what `count` counts by. */
  readonly key: string;
  /** How many requests with this key came before this one (0 for the first). */
  readonly seen: number;
  /** Sends the request on to the simulator and reads its answer. */
  forward(): Promise<Upstream>;
}

/** Handles a request itself (returns true) or leaves it to the simulator (returns false). */
export type HostileHandler = (exchange: Exchange) => boolean | Promise<boolean>;

export interface HostileServer {
  /** `http://127.0.0.1:<port>`: what a config's api_url points at. */
  readonly url: string;
  readonly port: number;
  /** Requests seen with this key (`POST /v2/auth/token`, `GET /v2/workbooks`). */
  count(key: string): number;
  /** Resolves once `count(key)` reaches `n` (an event, not a poll). */
  reached(key: string, n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A hostile HTTP server on loopback, written for the tests: each request goes to the test's handler,
 * which may answer anything (a redirect, an endless body, a doctored page); what it leaves alone is
 * passed on to `upstream` (a simulator) verbatim. Counters by `METHOD /path` let tests synchronise on
 * what the tap asked.
 */
export async function startHostileServer(upstream: string | undefined, handler: HostileHandler): Promise<HostileServer> {
  const counts = new Map<string, number>();
  const waiters: Array<{ key: string; n: number; resolve: () => void }> = [];
  const server = createServer({ keepAlive: true }, (req, res) => {
    const url = req.url ?? '/';
    const key = `${req.method} ${url.split('?')[0]}`;
    const seen = counts.get(key) ?? 0;
    counts.set(key, seen + 1);
    for (const waiter of waiters.filter((w) => w.key === key && seen + 1 >= w.n)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    // A reset from the tap (it aborted the answer) is what several tests provoke.
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const exchange: Exchange = { req, res, url, key, seen, forward: () => forward(upstream, req) };
    Promise.resolve(handler(exchange))
      .then(async (handled) => {
        if (handled) return;
        const answer = await exchange.forward();
        res.writeHead(answer.status, withoutLength(answer.headers)).end(answer.body);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599).end(String(error));
        else res.destroy();
      });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    count: (key) => counts.get(key) ?? 0,
    reached: (key, n) => ((counts.get(key) ?? 0) >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ key, n, resolve }))),
    close: () => closeServer(server),
  };
}

/** A TCP listener that must see nothing: it counts the connections made to it, and what they sent. */
export interface Bystander {
  readonly url: string;
  readonly port: number;
  connections(): number;
  /** Bytes received over every connection. */
  received(): string;
  close(): Promise<void>;
}

export async function startBystander(): Promise<Bystander> {
  let connections = 0;
  let received = '';
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    received: () => received,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A plain TCP server that answers whatever it is sent with bytes that are not TLS, then hangs up. */
export async function startPlainTcp(): Promise<Bystander> {
  let connections = 0;
  let received = '';
  const server = createTcpServer((socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
  });
  const port = await listen(server);
  return {
    url: `https://localhost:${port}`,
    port,
    connections: () => connections,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Writes `chunk` again and again, honouring backpressure, until the client goes away. */
export function writeForever(res: ServerResponse, chunk: Buffer | string): void {
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.once('close', () => res.removeListener('drain', pump));
  pump();
}

function forward(upstream: string | undefined, req: IncomingMessage): Promise<Upstream> {
  if (upstream === undefined) return Promise.reject(new Error('no upstream'));
  return new Promise((resolve, reject) => {
    const target = new URL(req.url ?? '/', upstream);
    const headers = { ...req.headers, host: target.host };
    const out = httpRequest(target, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    out.on('error', reject);
    req.pipe(out);
  });
}

/** Headers to pass on with a body of another length (the doctored ones): node sets the length itself. */
function withoutLength(headers: Upstream['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') kept[name] = value;
  }
  return kept;
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Forwards the request, then answers with the simulator's body as `edit` rewrites its text. */
export async function answerEdited(exchange: Exchange, edit: (text: string) => string): Promise<true> {
  const answer = await exchange.forward();
  exchange.res.writeHead(answer.status, withoutLength(answer.headers)).end(edit(answer.body.toString('utf8')));
  return true;
}

/** A list body (envelope or bare array) with `extra` (JSON texts) as its first entries. */
export function withExtraEntries(text: string, extra: readonly string[]): string {
  const at = text.trimStart().startsWith('[') ? text.indexOf('[') + 1 : text.indexOf('"entries":[') + '"entries":['.length;
  if (at < 1 || at < text.indexOf('[')) throw new Error(`not a list body: ${text.slice(0, 80)}`);
  const empty = text.slice(at).trimStart().startsWith(']');
  return `${text.slice(0, at)}${extra.join(',')}${empty ? '' : ','}${text.slice(at)}`;
}
