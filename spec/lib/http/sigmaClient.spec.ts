import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { startSimulator } from '../../../fixtures/index.js';
import { ApiError, RequestCancelledError } from '../../../lib/errors.js';
import { SigmaClient, type SigmaClientOptions } from '../../../lib/http/sigmaClient.js';
import { Logger } from '../../../lib/log/logger.js';
import { type ScriptedServer, TOKEN_PATH, json, mintTokens, raw, startScriptedServer } from '../../support/scriptedServer.js';

const servers: ScriptedServer[] = [];
const clients: SigmaClient[] = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(routes: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const server = await startScriptedServer(routes);
  servers.push(server);
  return server;
}

let clientNumber = 0;

/** A client of `url` whose log lines are kept; fast backoff unless a test asks otherwise. */
function clientOf(url: string, options: Partial<SigmaClientOptions> = {}): { client: SigmaClient; lines: string[] } {
  const lines: string[] = [];
  clientNumber += 1;
  const client = new SigmaClient({
    apiUrl: url,
    clientId: `client-${clientNumber}`,
    clientSecret: 'spec-secret',
    concurrency: 4,
    maxRetries: 3,
    timeoutMs: 10_000,
    maxResponseBytes: 1 << 20,
    maxRetryWaitMs: 1,
    exportRequestsPerMinute: 400,
    userAgent: 'tap-sigma-spec',
    logger: new Logger({ write: (line) => lines.push(line.trimEnd()) }, 'info'),
    ...options,
  });
  clients.push(client);
  return { client, lines };
}

const EMPTY_PAGE = { entries: [], nextPage: null };
const ENVELOPE = { code: 'internal_error', message: 'Something went wrong', requestId: 'r-1' };
const EDGE_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>';

/** What a 5xx carries: Sigma's JSON envelope, an edge proxy's HTML page, or nothing at all. */
const FIVE_XX_BODIES = {
  'a JSON envelope': (res: ServerResponse, status: number) => json(res, status, ENVELOPE),
  'an HTML page': (res: ServerResponse, status: number) => raw(res, status, EDGE_PAGE),
  'no body': (res: ServerResponse, status: number) => raw(res, status, '', 'application/json'),
} as const;

/** Resolves with the value of `promise`, or with `pending` if it has not settled by the next turn of the loop. */
async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'settled'> {
  return Promise.race([promise.then(() => 'settled' as const, () => 'settled' as const), new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

/** A promise and the function that resolves it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SigmaClient', () => {
  describe('a 5xx is a 5xx whatever its body', () => {
    test('a JSON envelope, an HTML page and no body are each retried and logged as HTTP 5xx', async () => {
      const server = await serve({
        '/v2/things': (_req, res, nth) => {
          if (nth === 0) return FIVE_XX_BODIES['a JSON envelope'](res, 500);
          if (nth === 1) return FIVE_XX_BODIES['an HTML page'](res, 502);
          if (nth === 2) return FIVE_XX_BODIES['no body'](res, 503);
          json(res, 200, EMPTY_PAGE);
        },
      });
      const { client, lines } = clientOf(server.url);
      const answer = await client.request({ path: '/v2/things', endpoint: '/v2/things' });
      assert.deepEqual(answer.body, EMPTY_PAGE);
      assert.equal(server.count('/v2/things'), 4);
      assert.deepEqual(lines.filter((line) => line.includes('retry')), [
        'WARN retry 1/3 of GET /v2/things after HTTP 500: Something went wrong',
        'WARN retry 2/3 of GET /v2/things after HTTP 502 (an HTML error page)',
        'WARN retry 3/3 of GET /v2/things after HTTP 503',
      ]);
      assert.ok(lines.every((line) => !/not JSON|instead of JSON|empty body|truncated/.test(line)), lines.join('\n'));
    });

    for (const [kind, send] of Object.entries(FIVE_XX_BODIES)) {
      test(`a 5xx with ${kind} that persists ends in an ApiError with its status after max_retries`, async () => {
        const server = await serve({ '/v2/broken': (_req, res) => send(res, 503) });
        const { client } = clientOf(server.url, { maxRetries: 2 });
        await assert.rejects(client.request({ path: '/v2/broken', endpoint: '/v2/broken' }), (error: unknown) => {
          assert.ok(error instanceof ApiError);
          assert.equal(error.status, 503);
          assert.equal(error.kind, 'fatal');
          assert.match(error.message, /^GET \/v2\/broken failed after 2 retries \(HTTP 503/);
          return true;
        });
        assert.equal(server.count('/v2/broken'), 3);
      });
    }
  });

  describe('a status declared as an answer', () => {
    test('is sent exactly once and surfaces as a skippable ApiError', async () => {
      const server = await serve({ '/v2/lineage': (_req, res) => json(res, 500, ENVELOPE) });
      const { client, lines } = clientOf(server.url);
      await assert.rejects(client.request({ path: '/v2/lineage', endpoint: '/v2/lineage', answers: [500] }), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.kind, 'skippable');
        assert.equal(error.status, 500);
        assert.equal(error.unavailable, false);
        assert.equal(error.context['verdict'], 'answer');
        return true;
      });
      assert.equal(server.count('/v2/lineage'), 1);
      assert.deepEqual(lines, [], 'an answer is not a retry');
    });

    test('undeclared, the same status is retried', async () => {
      const server = await serve({ '/v2/lineage': (_req, res) => json(res, 500, ENVELOPE) });
      const { client } = clientOf(server.url, { maxRetries: 2 });
      await assert.rejects(client.request({ path: '/v2/lineage', endpoint: '/v2/lineage', answers: [404] }), ApiError);
      assert.equal(server.count('/v2/lineage'), 3);
    });
  });

  describe('Retry-After', () => {
    test('as an HTTP date: the retry does not arrive before that date', { timeout: 20_000 }, async () => {
      let date = 0;
      const server = await serve({
        '/v2/dated': (_req, res, nth) => {
          if (nth > 0) return json(res, 200, EMPTY_PAGE);
          // Two whole seconds ahead: an HTTP date has no milliseconds.
          date = (Math.floor(Date.now() / 1000) + 2) * 1000;
          json(res, 429, { code: 'too_many_requests', message: 'slow down' }, { 'retry-after': new Date(date).toUTCString() });
        },
      });
      const { client } = clientOf(server.url, { maxRetryWaitMs: 30_000 });
      await client.request({ path: '/v2/dated', endpoint: '/v2/dated' });
      const [, retry] = server.requests.filter((r) => r.path === '/v2/dated');
      // Node's timers count whole milliseconds, so a wait may end up to 1 ms before the instant it aims at.
      assert.ok(retry!.at >= date - 1, `the retry arrived ${date - retry!.at} ms before ${new Date(date).toISOString()}`);
    });

    test('in seconds: the retry does not arrive before that many seconds after the answer', { timeout: 20_000 }, async () => {
      let sentAt = 0;
      const server = await serve({
        '/v2/seconds': (_req, res, nth) => {
          if (nth > 0) return json(res, 200, EMPTY_PAGE);
          sentAt = Date.now();
          json(res, 503, ENVELOPE, { 'retry-after': '1' });
        },
      });
      const { client } = clientOf(server.url, { maxRetryWaitMs: 30_000 });
      await client.request({ path: '/v2/seconds', endpoint: '/v2/seconds' });
      const [, retry] = server.requests.filter((r) => r.path === '/v2/seconds');
      assert.ok(retry!.at >= sentAt + 1000 - 1, `the retry arrived ${retry!.at - sentAt} ms after the 503`);
    });

    test('is capped by max_retry_wait_ms: an hour asked for, the retry comes long before', { timeout: 20_000 }, async () => {
      const server = await serve({
        '/v2/hour': (_req, res, nth) => {
          if (nth === 0) return json(res, 429, { code: 'too_many_requests', message: 'later' }, { 'retry-after': '3600' });
          if (nth === 1) return json(res, 429, { code: 'too_many_requests', message: 'later' }, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() });
          json(res, 200, EMPTY_PAGE);
        },
      });
      const { client } = clientOf(server.url, { maxRetryWaitMs: 200 });
      await client.request({ path: '/v2/hour', endpoint: '/v2/hour' });
      const times = server.requests.filter((r) => r.path === '/v2/hour').map((r) => r.at);
      assert.equal(times.length, 3);
      assert.ok(times[2]! < times[0]! + 3_600_000);
    });
  });

  describe('token requests', () => {
    test('obey max_retries: a token endpoint answering 503 gets max_retries + 1 requests, then one fatal error', { timeout: 20_000 }, async () => {
      const server = await serve({ [TOKEN_PATH]: (_req, res) => json(res, 503, ENVELOPE), '/v2/things': (_req, res) => json(res, 200, EMPTY_PAGE) });
      const { client } = clientOf(server.url, { maxRetries: 2 });
      await assert.rejects(client.request({ path: '/v2/things', endpoint: '/v2/things' }), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.kind, 'fatal');
        assert.equal(error.message, 'could not get an access token: POST /v2/auth/token failed after 2 retries (HTTP 503: Something went wrong)');
        return true;
      });
      assert.equal(server.count(TOKEN_PATH), 3);
      assert.equal(server.count('/v2/things'), 0);
    });

    test('a 429 from the token endpoint is retried after its Retry-After', { timeout: 20_000 }, async () => {
      let sentAt = 0;
      const server = await serve({
        [TOKEN_PATH]: (req, res, nth) => {
          if (nth > 0) return mintTokens(req, res, nth);
          sentAt = Date.now();
          json(res, 429, { code: 'too_many_requests', message: 'Too many token requests' }, { 'retry-after': '2' });
        },
        '/v2/things': (_req, res) => json(res, 200, EMPTY_PAGE),
      });
      const { client } = clientOf(server.url, { maxRetryWaitMs: 30_000 });
      await client.request({ path: '/v2/things', endpoint: '/v2/things' });
      const [, retry] = server.requests.filter((r) => r.path === TOKEN_PATH);
      assert.ok(retry!.at >= sentAt + 2000 - 1, `the token retry arrived ${retry!.at - sentAt} ms after the 429`);
      assert.equal(server.count(TOKEN_PATH), 2);
    });

    test('429s from the token endpoint (other processes of the client asking first) do not spend max_retries; a 503 among them does', { timeout: 30_000 }, async () => {
      // Four refusals and a 503 with max_retries 1: the 429s are waited out, the 503 takes the one retry.
      const answers = [429, 429, 503, 429, 429];
      const server = await serve({
        [TOKEN_PATH]: (req, res, nth) => {
          const status = answers[nth];
          if (status === undefined) return mintTokens(req, res, nth);
          json(res, status, status === 429 ? { code: 'too_many_requests', message: 'Too many token requests' } : ENVELOPE, status === 429 ? { 'retry-after': '1' } : {});
        },
        '/v2/things': (_req, res) => json(res, 200, EMPTY_PAGE),
      });
      const { client, lines } = clientOf(server.url, { maxRetries: 1, maxRetryWaitMs: 5_000 });
      await client.request({ path: '/v2/things', endpoint: '/v2/things' });
      assert.equal(server.count(TOKEN_PATH), answers.length + 1, 'every refusal was followed by another token request');
      assert.equal(server.count('/v2/things'), 1);
      assert.deepEqual(
        lines.filter((line) => line.includes(TOKEN_PATH)).map((line) => line.replace(/^.*?(INFO|WARN) /, '$1 ')),
        [
          'INFO retry 1 of POST /v2/auth/token after HTTP 429 (another process of this API client asked first; not counted against max_retries)',
          'INFO retry 2 of POST /v2/auth/token after HTTP 429 (another process of this API client asked first; not counted against max_retries)',
          'WARN retry 1/1 of POST /v2/auth/token after HTTP 503: Something went wrong',
          'INFO retry 3 of POST /v2/auth/token after HTTP 429 (another process of this API client asked first; not counted against max_retries)',
          'INFO retry 4 of POST /v2/auth/token after HTTP 429 (another process of this API client asked first; not counted against max_retries)',
        ],
      );
    });

    for (const status of [400, 401]) {
      test(`a ${status} from the token endpoint is fatal at once, naming the credentials`, async () => {
        const server = await serve({ [TOKEN_PATH]: (_req, res) => json(res, status, { code: 'unauthorized', message: 'Invalid client credentials' }) });
        const { client } = clientOf(server.url);
        await assert.rejects(client.request({ path: '/v2/things', endpoint: '/v2/things' }), (error: unknown) => {
          assert.ok(error instanceof ApiError);
          assert.equal(error.kind, 'fatal');
          assert.match(error.message, new RegExp(`^Sigma rejected the client credentials \\(HTTP ${status} from /v2/auth/token\\): check client_id, client_secret and api_url$`));
          return true;
        });
        assert.equal(server.count(TOKEN_PATH), 1);
      });
    }
  });

  describe('no slot is held while waiting', () => {
    test('for a backoff: at concurrency 1, another request completes while one waits out its Retry-After', { timeout: 20_000 }, async () => {
      const throttled = deferred();
      const server = await serve({
        '/v2/slow': (_req, res) => {
          json(res, 503, ENVELOPE, { 'retry-after': '30' });
          throttled.resolve();
        },
        '/v2/quick': (_req, res) => json(res, 200, EMPTY_PAGE),
      });
      const { client } = clientOf(server.url, { concurrency: 1, maxRetryWaitMs: 30_000 });
      const controller = new AbortController();
      const slow = client.request({ path: '/v2/slow', endpoint: '/v2/slow', signal: controller.signal });
      await throttled.promise;
      const quick = await client.request({ path: '/v2/quick', endpoint: '/v2/quick' });
      assert.deepEqual(quick.body, EMPTY_PAGE);
      assert.equal(await stateOf(slow), 'pending', 'the throttled request is still waiting out its 30 s');
      assert.equal(client.limiter.inFlight, 0);
      assert.equal(server.count('/v2/slow'), 1);
      controller.abort();
      await assert.rejects(slow, RequestCancelledError);
      assert.equal(server.count('/v2/slow'), 1, 'a cancelled wait sends nothing more');
    });

    test('for a token: after a 401 the new token is minted with no slot taken, and serves both waiting requests', { timeout: 20_000 }, async () => {
      const inFlightAtMint: number[] = [];
      let client: SigmaClient | undefined;
      // Sigma revoked token-1 for /v2/revoked only, so that exactly one request sees the 401.
      const guarded = (path: string) => (req: IncomingMessage, res: ServerResponse) =>
        req.headers.authorization === 'Bearer token-1' && path === '/v2/revoked' ? json(res, 401, { code: 'unauthorized', message: 'Token missing or malformed' }) : json(res, 200, EMPTY_PAGE);
      const server = await serve({
        [TOKEN_PATH]: (req, res, nth) => {
          inFlightAtMint.push(client!.limiter.inFlight);
          mintTokens(req, res, nth);
        },
        '/v2/revoked': guarded('/v2/revoked'),
        '/v2/other': guarded('/v2/other'),
      });
      ({ client } = clientOf(server.url, { concurrency: 1 }));
      await client.request({ path: '/v2/other', endpoint: '/v2/other' });
      await Promise.all([client.request({ path: '/v2/revoked', endpoint: '/v2/revoked' }), client.request({ path: '/v2/other', endpoint: '/v2/other' })]);
      assert.deepEqual(inFlightAtMint, [0, 0]);
      assert.equal(server.count(TOKEN_PATH), 2, 'one token for the run, one after the 401');
      assert.deepEqual(
        server.requests.filter((r) => r.path === '/v2/revoked').map((r) => r.headers.authorization),
        ['Bearer token-1', 'Bearer token-2'],
      );
    });
  });

  describe('after token revocations (simulator)', () => {
    test('one new token serves every request that saw the old one refused', { timeout: 60_000 }, async () => {
      const usesPerToken = 40;
      const sim = await startSimulator({ seed: 5, faults: { tokenExpiryEveryRequests: usesPerToken, latencyMs: 5 } });
      try {
        const { client } = clientOf(sim.url, { clientId: sim.credentials.admin.clientId, clientSecret: sim.credentials.admin.clientSecret, concurrency: 8, maxRetries: 6 });
        await Promise.all(
          Array.from({ length: 150 }, (_, i) => client.request({ path: '/v2.1/members', params: { limit: (i % 50) + 1 }, endpoint: '/v2.1/members' })),
        );
        const stats = sim.stats();
        const refused = stats.faults['token-expiry'];
        const served = stats.byEndpoint['GET /v2.1/members']?.['200'] ?? 0;
        assert.equal(served, 150);
        // Each token serves exactly `usesPerToken` requests before the simulator revokes it.
        const revoked = Math.floor(served / usesPerToken);
        assert.ok(revoked >= 3, 'tokens were revoked during the run');
        assert.ok(refused > revoked, `several requests saw each revoked token refused (${refused} 401s for ${revoked} revocations)`);
        assert.equal(stats.tokensIssued, Math.ceil(served / usesPerToken), `${stats.tokensIssued} tokens for ${revoked} revocations and ${refused} 401s`);
      } finally {
        await sim.close();
      }
    });
  });
});
