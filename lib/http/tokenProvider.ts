import type { AxiosInstance } from 'axios';
import { isAxiosError } from 'axios';
import { ApiError } from '../errors.js';
import { delay } from './delay.js';
import { retryDelayMs } from './retryPolicy.js';

export interface TokenProviderOptions {
  readonly http: AxiosInstance;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Sigma allows one token request per second per client; the default keeps 10% of margin for clock and network skew. */
  readonly minIntervalMs?: number;
  /** Mint a new token this long before the current one expires. */
  readonly refreshMarginMs?: number;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * The process's one client-credentials token (form-encoded POST /v2/auth/token).
 * Minting is single-flight and spaced by `minIntervalMs`, so a burst of 401s from many requests
 * still costs one token request. The token never appears in an error or a log line.
 */
export class TokenProvider {
  private token: Token | undefined;
  private minting: Promise<Token> | undefined;
  private lastMintAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    const margin = this.options.refreshMarginMs ?? 60_000;
    if (this.token && this.token.expiresAt - margin > this.now()) return this.token.value;
    return (await this.mint()).value;
  }

  /** The API rejected `value` (401): forget it, unless a newer token already replaced it. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private mint(): Promise<Token> {
    this.minting ??= this.requestToken().finally(() => {
      this.minting = undefined;
    });
    return this.minting;
  }

  private async requestToken(): Promise<Token> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt += 1) {
      const wait = this.lastMintAt + (this.options.minIntervalMs ?? 1100) - this.now();
      if (wait > 0) await delay(wait);
      this.lastMintAt = this.now();
      try {
        const token = await this.post();
        this.token = token;
        return token;
      } catch (error) {
        const status = isAxiosError(error) ? error.response?.status : undefined;
        if (status === 401 || status === 400 || status === 403) {
          throw new ApiError(`Sigma rejected the client credentials (HTTP ${status} from /v2/auth/token): check client_id, client_secret and api_url`, status, 'fatal', { endpoint: '/v2/auth/token' });
        }
        if (attempt >= maxAttempts) {
          throw new ApiError(`could not obtain a token from /v2/auth/token after ${attempt} attempts (${status ? `HTTP ${status}` : 'network error'})`, status, 'fatal', { endpoint: '/v2/auth/token' });
        }
        await delay(retryDelayMs(attempt, isAxiosError(error) ? error.response?.headers['retry-after'] : undefined));
      }
    }
  }

  private async post(): Promise<Token> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    const issuedAt = this.now();
    const response = await this.options.http.post('/v2/auth/token', body.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const data = response.data as { access_token?: unknown; expires_in?: unknown };
    if (typeof data?.access_token !== 'string') {
      throw new ApiError('/v2/auth/token answered without an access_token', response.status, 'fatal');
    }
    const lifetimeS = typeof data.expires_in === 'number' ? data.expires_in : 3600;
    return { value: data.access_token, expiresAt: issuedAt + lifetimeS * 1000 };
  }
}
