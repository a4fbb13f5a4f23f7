import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type MintedToken, TokenProvider } from '../../../lib/http/tokenProvider.js';

/** A mint that counts its calls and answers token-1, token-2, … with `lifetimeMs`. */
function counter(lifetimeMs = 3_600_000) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    mint: (): Promise<MintedToken> => {
      calls += 1;
      return Promise.resolve({ value: `token-${calls}`, lifetimeMs });
    },
  };
}

describe('TokenProvider', () => {
  test('mints one token for many concurrent callers', async () => {
    const mint = counter();
    const provider = new TokenProvider({ mint: mint.mint });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.get()));
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
    assert.equal(mint.calls, 1);
  });

  test('after a 401 one new token serves every request that saw the old one refused', async () => {
    const mint = counter();
    const provider = new TokenProvider({ mint: mint.mint });
    const first = await provider.get();
    provider.invalidate(first);
    provider.invalidate(first);
    const again = await Promise.all([provider.get(), provider.get(), provider.get()]);
    assert.deepEqual(again, ['token-2', 'token-2', 'token-2']);
    provider.invalidate(first);
    assert.equal(await provider.get(), 'token-2', 'a late 401 with the old token does not drop the new one');
    assert.equal(mint.calls, 2);
  });

  test('refreshes a minute before expiry, or at half the life of a short-lived token', async () => {
    let now = 0;
    const long = counter(3_600_000);
    const provider = new TokenProvider({ mint: long.mint, now: () => now });
    await provider.get();
    now = 3_600_000 - 60_001;
    assert.equal(provider.current(), 'token-1');
    now = 3_600_000 - 59_999;
    assert.equal(provider.current(), undefined);

    now = 0;
    const short = counter(30_000);
    const shortLived = new TokenProvider({ mint: short.mint, now: () => now });
    await shortLived.get();
    now = 14_999;
    assert.equal(shortLived.current(), 'token-1', 'a 30 s token is used for its first 15 s');
    now = 15_000;
    assert.equal(await shortLived.get(), 'token-2');
    assert.equal(short.calls, 2);
  });

  test('a failed mint is reported to every waiter and the next call tries again', async () => {
    let calls = 0;
    const provider = new TokenProvider({
      mint: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('refused')) : Promise.resolve({ value: 'ok', lifetimeMs: 3_600_000 });
      },
    });
    const results = await Promise.allSettled([provider.get(), provider.get()]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.equal(await provider.get(), 'ok');
    assert.equal(calls, 2);
  });

  test('an aborted caller stops waiting; the shared mint still completes for the others', async () => {
    let release: (token: MintedToken) => void = () => undefined;
    const provider = new TokenProvider({ mint: () => new Promise((resolve) => (release = resolve)) });
    const controller = new AbortController();
    const aborted = provider.get(controller.signal);
    const patient = provider.get();
    controller.abort(new Error('stop'));
    await assert.rejects(aborted, /stop/);
    release({ value: 'late', lifetimeMs: 3_600_000 });
    assert.equal(await patient, 'late');
  });
});
