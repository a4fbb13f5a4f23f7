import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it, in arrival order. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Date.now() when the request's head arrived. */
  readonly at: number;
}

/** Answers one request; `nth` counts earlier requests with the same method and path (0 for the first). */
export type Script = (req: IncomingMessage, res: ServerResponse, nth: number) => void;

export interface ScriptedServer {
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  /** Requests received for `path` (any method). */
  count(path: string): number;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/v2/auth/token';

/** A token endpoint that mints `token-1`, `token-2`, … valid for an hour. */
export const mintTokens: Script = (_req, res, nth) => json(res, 200, { access_token: `token-${nth + 1}`, token_type: 'bearer', expires_in: 3600 });

/**
 * A node:http server on 127.0.0.1 and a free port, written for one test: `routes` maps a path to how
 * it answers (the token endpoint mints tokens unless a test scripts it), anything else is a 404. Every
 * request is recorded with its arrival time, so a test can assert what reached the server and in
 * which order.
 */
export async function startScriptedServer(routes: Readonly<Record<string, Script>>): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const table: Record<string, Script> = { [TOKEN_PATH]: mintTokens, ...routes };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const nth = requests.filter((r) => r.method === req.method && r.path === path).length;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, at: Date.now() });
    // The body (token requests) is read to its end before answering, as a real server does.
    req.resume();
    req.once('end', () => {
      const script = table[path];
      if (script) script(req, res, nth);
      else json(res, 404, { code: 'not_found', message: `no route ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` as JSON with `status` and extra headers. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends `text` with a content type of the caller's choosing (an HTML page, nothing at all). */
export function raw(res: ServerResponse, status: number, text: string, contentType = 'text/html', headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
