import { Agent, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenBarrier {
  /** Base URL to give the taps instead of the simulator's. */
  readonly url: string;
  close(): Promise<void>;
}

interface Held {
  readonly req: IncomingMessage;
  readonly body: Buffer;
  readonly res: ServerResponse;
}

const TOKEN_REQUEST = 'POST /v2/auth/token';

/**
 * A loopback forwarder in front of `upstream` that holds the first `parties` token requests until all of
 * them have arrived and then sends them on together; every other request passes straight through.
 * Processes started together reach their first token request up to a few hundred milliseconds apart
 * (module loading), which may or may not fall inside the token endpoint's one-second window: behind the
 * barrier they meet it in the same instant, every time.
 */
export async function startTokenBarrier(upstream: string, parties: number): Promise<TokenBarrier> {
  const agent = new Agent({ keepAlive: true });
  const held: Held[] = [];
  let released = false;

  const forward = ({ req, body, res }: Held): void => {
    const outgoing = request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(upstream).host }, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    outgoing.on('error', () => res.destroy());
    outgoing.end(body);
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const exchange = { req, body: Buffer.concat(chunks), res };
      if (released || `${req.method} ${(req.url ?? '').split('?')[0]}` !== TOKEN_REQUEST) return forward(exchange);
      held.push(exchange);
      if (held.length < parties) return;
      released = true;
      held.splice(0).forEach(forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
