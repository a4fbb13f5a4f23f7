/** A minted access token and how long Sigma said it lives. */
export interface MintedToken {
  readonly value: string;
  readonly lifetimeMs: number;
}

export interface TokenProviderOptions {
  /** One client-credentials token request, retried by the caller's fault policy. */
  readonly mint: () => Promise<MintedToken>;
  readonly now?: () => number;
}

interface Token {
  readonly value: string;
  readonly mintedAt: number;
  readonly expiresAt: number;
}

/** Never refresh more than a minute early, nor a token younger than half its life. */
const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * The client-credentials token every request of one client shares. Minting is single-flight: a burst
 * of callers, or of 401s from a revoked token, costs one token request, and that one new token serves
 * every request waiting for it. A token is refreshed shortly before it expires; the margin scales with
 * its lifetime, so a short-lived token (30 s) is not re-minted before nearly every request.
 */
export class TokenProvider {
  private token: Token | undefined;
  private minting: Promise<Token> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The token to use now, if the one held is still fresh; never waits. */
  current(): string | undefined {
    const token = this.token;
    if (!token) return undefined;
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, (token.expiresAt - token.mintedAt) / 2);
    return this.now() < token.expiresAt - margin ? token.value : undefined;
  }

  /**
   * A fresh token, minting one when needed. The mint is shared by every caller, so it runs to its end
   * whatever happens to the caller that started it; `signal` only stops this caller's wait.
   */
  async get(signal?: AbortSignal): Promise<string> {
    const fresh = this.current();
    if (fresh !== undefined) return fresh;
    if (!signal) return (await this.mint()).value;
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return (await Promise.race([this.mint(), aborted])).value;
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /** The API rejected `value` (401): forget it, unless a newer token already replaced it. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private mint(): Promise<Token> {
    // Lifetimes count from before the request: the token may have been issued at any moment of it.
    const mintedAt = this.now();
    this.minting ??= this.options
      .mint()
      .then((minted) => {
        this.token = { value: minted.value, mintedAt, expiresAt: mintedAt + minted.lifetimeMs };
        return this.token;
      })
      .finally(() => {
        this.minting = undefined;
      });
    return this.minting;
  }
}
