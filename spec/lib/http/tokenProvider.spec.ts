import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { ApiError } from '../../../lib/errors.js';
import { TokenProvider } from '../../../lib/http/tokenProvider.js';

/** A stand-in for the token endpoint: records each POST and answers from `answer`. */
function fakeEndpoint(answer: (n: number) => Promise<unknown>) {
  const posts: Array<{ at: number; body: string; contentType: unknown }> = [];
  const http = {
    post: async (_path: string, body: string, config: { headers: Record<string, unknown> }) => {
      posts.push({ at: Date.now(), body, contentType: config.headers['content-type'] });
      return { status: 200, data: await answer(posts.length) };
    },
  } as unknown as AxiosInstance;
  return { http, posts };
}

const token = (n: number) => Promise.resolve({ access_token: `token-${n}`, expires_in: 3600 });

describe('TokenProvider', () => {
  test('mints one form-encoded client-credentials token for many concurrent callers', async () => {
    const { http, posts } = fakeEndpoint(token);
    const provider = new TokenProvider({ http, clientId: 'id', clientSecret: 'secret' });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.get()));
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.contentType, 'application/x-www-form-urlencoded');
    assert.equal(posts[0]!.body, 'grant_type=client_credentials&client_id=id&client_secret=secret');
  });

  test('after a 401 the next token is minted no sooner than minIntervalMs after the previous one', async () => {
    const { http, posts } = fakeEndpoint(token);
    const provider = new TokenProvider({ http, clientId: 'id', clientSecret: 's', minIntervalMs: 200 });
    const first = await provider.get();
    provider.invalidate(first);
    provider.invalidate(first);
    const [a, b] = await Promise.all([provider.get(), provider.get()]);
    assert.equal(a, 'token-2');
    assert.equal(b, 'token-2');
    assert.equal(posts.length, 2);
    assert.ok(posts[1]!.at - posts[0]!.at >= 195, `${posts[1]!.at - posts[0]!.at} ms apart`);
  });

  test('invalidating a token that was already replaced keeps the newer one', async () => {
    const { http, posts } = fakeEndpoint(token);
    const provider = new TokenProvider({ http, clientId: 'id', clientSecret: 's', minIntervalMs: 0 });
    const first = await provider.get();
    provider.invalidate(first);
    await provider.get();
    provider.invalidate(first);
    assert.equal(await provider.get(), 'token-2');
    assert.equal(posts.length, 2);
  });

  test('refreshes before expiry', async () => {
    let now = 0;
    const { http, posts } = fakeEndpoint((n) => Promise.resolve({ access_token: `t${n}`, expires_in: 100 }));
    const provider = new TokenProvider({ http, clientId: 'id', clientSecret: 's', minIntervalMs: 0, refreshMarginMs: 10_000, now: () => now });
    assert.equal(await provider.get(), 't1');
    now = 89_000;
    assert.equal(await provider.get(), 't1');
    now = 91_000;
    assert.equal(await provider.get(), 't2');
    assert.equal(posts.length, 2);
  });

  test('wrong credentials are a fatal error that names the endpoint, not the secret', async () => {
    const refused = new AxiosError('401', 'ERR_BAD_REQUEST', undefined, undefined, { status: 401, headers: {}, data: {}, statusText: '', config: {} } as AxiosResponse);
    const { http } = fakeEndpoint(() => Promise.reject(refused));
    const provider = new TokenProvider({ http, clientId: 'id', clientSecret: 'hunter2-secret' });
    await assert.rejects(provider.get(), (error: unknown) => error instanceof ApiError && error.kind === 'fatal' && /HTTP 401 from \/v2\/auth\/token/.test(error.message) && !error.message.includes('hunter2'));
  });
});
