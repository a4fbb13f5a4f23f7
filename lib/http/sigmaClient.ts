import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { ApiError, RequestCancelledError } from '../errors.js';
import { parseJson } from '../json/parseJson.js';
import type { Logger } from '../log/logger.js';
import { ALWAYS_OPEN, type DemandGate } from './demandGate.js';
import { type AttemptOutcome, type BodyKind, judge, retryDelayMs } from './faultPolicy.js';
import { RequestLimiter, type Slot } from './requestLimiter.js';
import { sharedTokens } from './sharedTokens.js';
import type { TokenProvider } from './tokenProvider.js';

export type QueryValue = string | number | boolean | readonly string[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** One API call as data. */
export interface SigmaRequest {
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly params?: QueryParams;
  /** A JSON body (POST). */
  readonly body?: unknown;
  /** Path template for logs and metrics, e.g. /v2/workbooks/{workbookId}/pages. */
  readonly endpoint: string;
  /** The stream the request is for; several streams may share one endpoint (/v2/grants). */
  readonly stream?: string;
  readonly signal?: AbortSignal;
  /** The consumer's demand: the request takes its slot only while it is open. */
  readonly gate?: DemandGate;
  /** Statuses that are an answer for this endpoint, not a fault (Sigma's 500 for "no lineage"). */
  readonly answers?: readonly number[];
  /** Told about every attempt that got an answer or failed (not about cancelled ones). */
  readonly onAttempt?: (event: RequestEvent) => void;
}

/** A JSON body and how deeply it nests (records beyond the tap's depth limit are skipped). */
export interface SigmaAnswer {
  readonly body: unknown;
  readonly maxDepth: number;
}

export interface RequestEvent {
  readonly endpoint: string;
  readonly stream: string | undefined;
  readonly status: number | undefined;
  readonly durationMs: number;
  /** The attempt is a retry of an earlier one. */
  readonly retry: boolean;
}

export interface SigmaClientOptions {
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly concurrency: number;
  readonly maxRetries: number;
  /** Deadline of one attempt, from sending to the last byte of the body. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRetryWaitMs: number;
  readonly userAgent: string;
  readonly logger: Logger;
}

const TOKEN_PATH = '/v2/auth/token';
/** Sigma allows one token request per second per client; 10% of margin for clock and network skew. */
const TOKEN_SPACING_MS = 1_100;

/**
 * The only code that talks HTTP to Sigma. One attempt loop serves every request, token requests
 * included, under the one fault policy (faultPolicy.ts) and one retry budget (`max_retries`):
 * - a request first gets a token (holding no slot), then takes a slot of the one limiter, which it
 *   gets only while its consumer's gate is open, and gives the slot back as soon as its attempt ends,
 *   so nothing holds a slot while it waits for a token or a backoff;
 * - each attempt has a deadline for headers and body together and a body size limit;
 * - redirects are never followed, so neither the secret nor a token can reach another origin;
 * - a request the tap cancels itself is neither retried nor logged.
 */
export class SigmaClient {
  readonly limiter: RequestLimiter;
  readonly tokens: TokenProvider;
  private readonly axios: AxiosInstance;
  private lastTokenRequestAt = Number.NEGATIVE_INFINITY;
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly options: SigmaClientOptions) {
    options.logger.addSecret(options.clientSecret);
    this.limiter = new RequestLimiter({
      max: options.concurrency,
      onStall: (waiting) => options.logger.debug(`backpressure: ${waiting} requests wait for the output to drain, none in flight`),
      onResume: () => options.logger.debug('backpressure: the output drained, requests resume'),
    });
    this.axios = axios.create({
      baseURL: options.apiUrl,
      // Not following redirects also keeps axios on plain node:http instead of follow-redirects.
      maxRedirects: 0,
      proxy: false,
      timeout: 0,
      maxContentLength: options.maxResponseBytes,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      headers: { 'user-agent': options.userAgent, accept: 'application/json' },
      responseType: 'text',
      transformResponse: [(text: unknown) => text],
      validateStatus: () => true,
    });
    const key = createHash('sha256').update(`${options.apiUrl}\u0000${options.clientId}\u0000${options.clientSecret}`).digest('hex');
    this.tokens = sharedTokens(key, () => this.mintToken());
  }

  /** Sends `request` until it succeeds or the policy stops it; resolves with the parsed JSON body. */
  async request(request: SigmaRequest): Promise<SigmaAnswer> {
    const { signal } = request;
    for (let retryNumber = 0; ; ) {
      await this.tokens.get(signal).catch((error: unknown) => rethrowCancel(error, signal));
      const slot = await this.limiter.acquire(request.gate ?? ALWAYS_OPEN, signal).catch((error: unknown) => rethrowCancel(error, signal));
      // The wait for a slot may outlast the token (or another request's 401 may have dropped it).
      const token = this.tokens.current();
      if (token === undefined) {
        slot.release();
        continue;
      }
      this.options.logger.addSecret(token);
      const startedAt = performance.now();
      const attempt = await this.attempt(request, { authorization: `Bearer ${token}` }).finally(() => slot.release());
      const next = this.decide(request, attempt, retryNumber, startedAt, slot);
      if (next.done) return next.answer;
      if (next.unauthorized) this.tokens.invalidate(token);
      await this.wait(next.delayMs, signal);
      retryNumber += 1;
    }
  }

  /** Resolves once the credentials give a token; rejects with one clear line otherwise. */
  async verifyCredentials(signal?: AbortSignal): Promise<void> {
    await this.tokens.get(signal);
  }

  /** Ends the keep-alive connections (a later request opens new ones). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private decide(
    request: SigmaRequest,
    attempt: Attempt,
    retryNumber: number,
    startedAt: number,
    slot: Slot | undefined,
  ): { done: true; answer: SigmaAnswer } | { done: false; delayMs: number; unauthorized: boolean } {
    const method = request.method ?? 'GET';
    const verdict = judge(attempt.outcome, request.answers);
    if (verdict.action === 'stop' && verdict.kind === 'aborted') throw new RequestCancelledError();
    request.onAttempt?.({ endpoint: request.endpoint, stream: request.stream, status: attempt.outcome.status, durationMs: performance.now() - startedAt, retry: retryNumber > 0 });
    const context = { endpoint: request.endpoint, path: request.path, status: attempt.outcome.status };
    switch (verdict.action) {
      case 'accept':
        this.limiter.succeeded();
        return { done: true, answer: { body: attempt.value, maxDepth: attempt.maxDepth ?? 0 } };
      case 'stop':
        throw new ApiError(`${method} ${request.path} answered ${verdict.reason}`, attempt.outcome.status, verdict.kind === 'fatal' ? 'fatal' : 'skippable', { ...context, verdict: verdict.kind });
      case 'retry': {
        if (verdict.throttled && slot) this.limiter.throttled(slot);
        if (retryNumber >= this.options.maxRetries) {
          const retries = `${this.options.maxRetries} retr${this.options.maxRetries === 1 ? 'y' : 'ies'}`;
          throw new ApiError(`${method} ${request.path} failed after ${retries} (${verdict.reason})`, attempt.outcome.status, 'fatal', context);
        }
        const line = `retry ${retryNumber + 1}/${this.options.maxRetries} of ${method} ${request.path} after ${verdict.reason}`;
        // Throttling is the server asking to slow down, which the limiter does: not a warning each time.
        if (verdict.throttled) this.options.logger.info(line);
        else this.options.logger.warn(line);
        const delayMs = verdict.unauthorized ? 0 : retryDelayMs(retryNumber + 1, attempt.retryAfter, { maxWaitMs: this.options.maxRetryWaitMs });
        return { done: false, delayMs, unauthorized: verdict.unauthorized };
      }
    }
  }

  /**
   * One token request through the same policy and budget. Attempts are spaced as Sigma's limit of one
   * token request per second per client asks; a refusal of the credentials is final at once.
   */
  private async mintToken(): Promise<{ value: string; lifetimeMs: number }> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret }).toString();
    const request: SigmaRequest = { method: 'POST', path: TOKEN_PATH, endpoint: TOKEN_PATH, body };
    for (let retryNumber = 0; ; retryNumber += 1) {
      await this.wait(this.lastTokenRequestAt + TOKEN_SPACING_MS - Date.now(), undefined);
      this.lastTokenRequestAt = Date.now();
      const startedAt = performance.now();
      const attempt = await this.attempt(request, { 'content-type': 'application/x-www-form-urlencoded' });
      const status = attempt.outcome.status;
      if (status === 400 || status === 401 || status === 403 || status === 404) throw credentialsError(status);
      const next = this.decideToken(request, attempt, retryNumber, startedAt);
      if (next.done) return tokenOf(next.answer.body);
      await this.wait(next.delayMs, undefined);
    }
  }

  /** Like `decide`; whatever stops a token request stops every request waiting for it, so it is fatal and says so. */
  private decideToken(request: SigmaRequest, attempt: Attempt, retryNumber: number, startedAt: number): ReturnType<SigmaClient['decide']> {
    try {
      return this.decide(request, attempt, retryNumber, startedAt, undefined);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(`could not get an access token: ${error.message}`, error.status, 'fatal', error.context);
    }
  }

  private async attempt(request: SigmaRequest, headers: Record<string, string>): Promise<Attempt> {
    const controller = new AbortController();
    let deadlineHit = false;
    const timer = setTimeout(() => {
      deadlineHit = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (request.signal?.aborted) return { outcome: { aborted: true } };
      const response = await this.axios.request<string>({
        method: request.method ?? 'GET',
        url: withQuery(request.path, request.params),
        data: request.body,
        headers,
        signal: controller.signal,
      });
      return readResponse(response);
    } catch (error) {
      if (request.signal?.aborted) return { outcome: { aborted: true } };
      if (deadlineHit) return { outcome: { code: 'DEADLINE' } };
      return { outcome: failureOutcome(error) };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new RequestCancelledError());
      if (ms <= 0) return resolve();
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new RequestCancelledError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

interface Attempt {
  readonly outcome: AttemptOutcome;
  readonly value?: unknown;
  readonly maxDepth?: number;
  readonly retryAfter?: string;
}

function readResponse(response: AxiosResponse<string>): Attempt {
  const status = response.status;
  const retryAfter = headerText(response.headers['retry-after']);
  const text = typeof response.data === 'string' ? response.data : '';
  if (status >= 300 && status < 400) return { outcome: { status, location: describeLocation(headerText(response.headers['location'])) } };
  const parsed = parseJson(text);
  if (!parsed.ok) return { outcome: { status, body: parsed.body }, ...(retryAfter ? { retryAfter } : {}) };
  const message = status >= 400 && isEnvelope(parsed.value) ? parsed.value.message : undefined;
  return {
    outcome: { status, body: 'json', ...(message ? { message } : {}) },
    value: parsed.value,
    maxDepth: parsed.maxDepth,
    ...(retryAfter ? { retryAfter } : {}),
  };
}

function failureOutcome(error: unknown): AttemptOutcome {
  if (isAxiosError(error)) {
    if (/maxContentLength/.test(error.message)) return { body: 'too-large' as BodyKind };
    const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return { code: cause ?? error.code ?? error.message };
  }
  return { code: error instanceof Error ? error.message : String(error) };
}

function isEnvelope(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function headerText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** A redirect target as it may appear in a message: origin and path, never a query or userinfo. */
function describeLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  try {
    const url = new URL(location, 'http://relative.invalid');
    return url.origin === 'http://relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return '(an unparsable location)';
  }
}

/** The path with its query; arrays repeat the parameter (typeFilters=a&typeFilters=b), as Sigma reads them. */
export function withQuery(path: string, params: QueryParams | undefined): string {
  if (!params) return path;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value) query.append(name, item);
    else query.append(name, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

function tokenOf(body: unknown): { value: string; lifetimeMs: number } {
  const data = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof data.access_token !== 'string' || data.access_token === '') {
    throw new ApiError(`${TOKEN_PATH} answered HTTP 200 without an access_token: is api_url Sigma's API?`, 200, 'fatal', { endpoint: TOKEN_PATH });
  }
  const lifetimeS = typeof data.expires_in === 'number' && data.expires_in > 0 ? data.expires_in : 3600;
  return { value: data.access_token, lifetimeMs: lifetimeS * 1000 };
}

function credentialsError(status: number | undefined): ApiError {
  if (status === 404) return new ApiError(`api_url does not serve ${TOKEN_PATH} (HTTP 404): check api_url`, status, 'fatal', { endpoint: TOKEN_PATH });
  return new ApiError(`Sigma rejected the client credentials (HTTP ${status} from ${TOKEN_PATH}): check client_id, client_secret and api_url`, status, 'fatal', { endpoint: TOKEN_PATH });
}

/** A wait that ended because the caller's signal aborted becomes the cancellation it is. */
function rethrowCancel(error: unknown, signal: AbortSignal | undefined): never {
  if (signal?.aborted) throw new RequestCancelledError();
  throw error;
}
