import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { ApiError, RequestCancelledError } from '../errors.js';
import { parseJson } from '../json/parseJson.js';
import type { Logger } from '../log/logger.js';
import { ALWAYS_OPEN, type DemandGate } from './demandGate.js';
import { type AttemptOutcome, judge, retryDelayMs } from './faultPolicy.js';
import { BodyInterruptedError, flowingBody } from './flowingBody.js';
import { RateLimiter } from './rateLimiter.js';
import { readBody } from './readBody.js';
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
  /**
   * Counts against Sigma's per-minute limit of export and download requests: paced by the client's
   * export rate limiter instead of taking a slot of the limiter of requests in flight.
   */
  readonly exportQuota?: boolean;
}

/** A response whose body is read as it arrives (see SigmaClient.stream). */
export interface StreamedResponse {
  readonly status: number;
  /** The body's chunks, pulled only while the request's gate is open. */
  readonly chunks: AsyncIterable<Buffer>;
}

/** A JSON body and how deeply it nests (records beyond the tap's depth limit are skipped). */
export interface SigmaAnswer {
  readonly body: unknown;
  readonly maxDepth: number;
  /** The body holds numbers kept as exact-number strings (lib/json/exactNumbers.ts). */
  readonly exactNumbers: boolean;
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
  /** Export and download requests sent per minute at most (Sigma allows 400). */
  readonly exportRequestsPerMinute: number;
  readonly userAgent: string;
  readonly logger: Logger;
}

const TOKEN_PATH = '/v2/auth/token';
/**
 * A body may hold one object or array per this many bytes of max_response_bytes (524,288 at the 16 MB
 * default; a page of 1,000 Sigma entries holds a few thousand, an entry nested 200,000 levels deep
 * 200,000). Parsed, each costs 40 to 70 bytes of heap whatever its text, so `[[],[],…]` within the byte
 * limit would otherwise cost 15 times the limit: with this bound it costs about as much as the limit.
 */
const BYTES_PER_CONTAINER = 32;
/** Sigma allows one token request per second per client; 10% of margin for clock and network skew. */
const TOKEN_SPACING_MS = 1_100;
/**
 * How long token requests are refused with 429 before the run gives up: at one token per second, the
 * turn of about 600 processes of one client starting at once (or refreshing in the same second).
 */
const TOKEN_THROTTLE_LIMIT_MS = 10 * 60_000;
/**
 * The window of the export rate limit: Sigma's minute, plus a second of margin because Sigma counts
 * arrivals, and a request sent early in one window may arrive late while a later one arrives early.
 */
const EXPORT_WINDOW_MS = 61_000;
/** What an export-quota request holds instead of a slot: nothing to give back. */
const NO_SLOT: Slot = { window: -1, release: () => undefined };

/**
 * The only code that talks HTTP to Sigma. One attempt loop serves every request, token requests
 * included, under the one fault policy (faultPolicy.ts) and one retry budget (`max_retries`):
 * - a request first gets a token (holding no slot), then takes a slot of the one limiter, which it
 *   gets only while its consumer's gate is open, and gives the slot back as soon as its attempt ends,
 *   so nothing holds a slot while it waits for a token or a backoff;
 * - each attempt has a deadline for headers and body together and a body size limit, except a
 *   streamed body (`stream`), which must only keep making progress and has no size limit;
 * - export and download requests are paced by a rate limiter of their own (Sigma's 400 per minute);
 * - redirects are never followed, so neither the secret nor a token can reach another origin;
 * - a request the tap cancels itself is neither retried nor logged.
 */
export class SigmaClient {
  readonly limiter: RequestLimiter;
  /** Paces the requests that count against Sigma's per-minute export and download limit. */
  readonly exportRate: RateLimiter;
  readonly tokens: TokenProvider;
  private readonly axios: AxiosInstance;
  private lastTokenRequestAt = Number.NEGATIVE_INFINITY;
  /**
   * Aborted by close(): a token request is shared by every caller, so no caller's signal stops it, and
   * one in flight (or in backoff) would otherwise keep the process alive after the run stopped.
   */
  private closing = new AbortController();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly options: SigmaClientOptions) {
    options.logger.addSecret(options.clientSecret);
    this.limiter = new RequestLimiter({
      max: options.concurrency,
      onStall: (waiting) => options.logger.debug(`backpressure: ${waiting} requests wait for the output to drain, none in flight`),
      onResume: () => options.logger.debug('backpressure: the output drained, requests resume'),
    });
    this.exportRate = new RateLimiter({ perWindow: options.exportRequestsPerMinute, windowMs: EXPORT_WINDOW_MS });
    this.axios = axios.create({
      baseURL: options.apiUrl,
      // Not following redirects also keeps axios on plain node:http instead of follow-redirects.
      maxRedirects: 0,
      proxy: false,
      timeout: 0,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      headers: { 'user-agent': options.userAgent, accept: 'application/json' },
      // Read by readBody, which holds the body once and stops at max_response_bytes (decompressed).
      responseType: 'stream',
      validateStatus: () => true,
    });
    const key = createHash('sha256').update(`${options.apiUrl}\u0000${options.clientId}\u0000${options.clientSecret}`).digest('hex');
    this.tokens = sharedTokens(key, () => this.mintToken());
  }

  /** Sends `request` until it succeeds or the policy stops it; resolves with the parsed JSON body. */
  async request(request: SigmaRequest): Promise<SigmaAnswer> {
    return this.send(request, (headers) => this.attempt(request, headers));
  }

  /**
   * Sends `request` and hands the body of a 2xx response to `read` as it arrives, without a size
   * limit; resolves with what `read` resolves to once it consumed the whole body. Other statuses are
   * judged as for `request`. A body that breaks off or stops making progress fails the attempt, which
   * is retried under the same policy and budget: `read` is then called again with the new response,
   * from its first byte, so it must remember what it already consumed. An error `read` throws itself
   * ends the request.
   */
  async stream<T>(request: SigmaRequest, read: (response: StreamedResponse) => Promise<T>): Promise<T> {
    return this.send(request, (headers) => this.streamAttempt(request, headers, read));
  }

  /** The attempt loop of every API request: token, slot or export permit, attempt, judgement, backoff. */
  private async send<T>(request: SigmaRequest, attempt: (headers: Record<string, string>) => Promise<Attempt<T>>): Promise<T> {
    const { signal } = request;
    for (let retryNumber = 0; ; ) {
      await this.tokens.get(signal).catch((error: unknown) => rethrowCancel(error, signal));
      const slot = await this.admit(request).catch((error: unknown) => rethrowCancel(error, signal));
      // The wait for a slot may outlast the token (or another request's 401 may have dropped it).
      const token = this.tokens.current();
      if (token === undefined) {
        slot.release();
        continue;
      }
      this.options.logger.addSecret(token);
      const startedAt = performance.now();
      const result = await attempt({ authorization: `Bearer ${token}` }).finally(() => slot.release());
      const next = this.decide(request, result, retryNumber, startedAt, slot);
      if (next.done) return next.value;
      if (next.unauthorized) this.tokens.invalidate(token);
      await this.wait(next.delayMs, signal);
      retryNumber += 1;
    }
  }

  /** A slot of the limiter of requests in flight, or for export-quota requests a permit of the rate limiter. */
  private async admit(request: SigmaRequest): Promise<Slot> {
    const gate = request.gate ?? ALWAYS_OPEN;
    if (!request.exportQuota) return this.limiter.acquire(gate, request.signal);
    await this.exportRate.acquire(gate, request.signal);
    return NO_SLOT;
  }

  /** Resolves once the credentials give a token; rejects with one clear line otherwise. */
  async verifyCredentials(signal?: AbortSignal): Promise<void> {
    await this.tokens.get(signal);
  }

  /** Ends the keep-alive connections and a token request in flight (a later request opens new ones). */
  close(): void {
    this.closing.abort();
    this.closing = new AbortController();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private decide<T>(
    request: SigmaRequest,
    attempt: Attempt<T>,
    retryNumber: number,
    startedAt: number,
    slot: Slot | undefined,
  ): { done: true; value: T } | { done: false; delayMs: number; unauthorized: boolean } {
    const method = request.method ?? 'GET';
    const verdict = judge(attempt.outcome, request.answers);
    if (verdict.action === 'stop' && verdict.kind === 'aborted') throw new RequestCancelledError();
    request.onAttempt?.({ endpoint: request.endpoint, stream: request.stream, status: attempt.outcome.status, durationMs: performance.now() - startedAt, retry: retryNumber > 0 });
    const context = { endpoint: request.endpoint, path: request.path, status: attempt.outcome.status };
    switch (verdict.action) {
      case 'accept':
        if (!request.exportQuota) this.limiter.succeeded();
        return { done: true, value: attempt.value as T };
      case 'stop':
        throw new ApiError(`${method} ${request.path} answered ${verdict.reason}`, attempt.outcome.status, verdict.kind === 'fatal' ? 'fatal' : 'skippable', { ...context, verdict: verdict.kind });
      case 'retry': {
        if (verdict.throttled && slot && !request.exportQuota) this.limiter.throttled(slot);
        if (retryNumber >= this.options.maxRetries) {
          const retries = `${this.options.maxRetries} retr${this.options.maxRetries === 1 ? 'y' : 'ies'}`;
          throw new ApiError(`${method} ${request.path} failed after ${retries} (${verdict.reason})`, attempt.outcome.status, 'fatal', context);
        }
        const line = `retry ${retryNumber + 1}/${this.options.maxRetries} of ${method} ${request.path} after ${verdict.reason}`;
        // Throttling is the server asking to slow down, which the limiter does: not a warning each time.
        if (verdict.throttled) this.options.logger.info(line);
        else this.options.logger.warn(line);
        const delayMs = verdict.unauthorized ? 0 : retryDelayMs(retryNumber + 1, attempt.retryAfter, { maxWaitMs: this.options.maxRetryWaitMs });
        // Sigma counts the export limit per organization: every export request waits, not only this one.
        if (verdict.throttled && request.exportQuota) this.exportRate.pause(delayMs);
        return { done: false, delayMs, unauthorized: verdict.unauthorized };
      }
    }
  }

  /**
   * One token request through the same policy and budget. Attempts are spaced as Sigma's limit of one
   * token request per second per client asks; a refusal of the credentials is final at once. A 429 is
   * not a fault of this request but the limit shared by every process using the same client (several
   * orchestrator tasks starting together, say): it is waited out without spending `max_retries`, for up
   * to TOKEN_THROTTLE_LIMIT_MS, so however many processes start at once each gets its turn.
   */
  private async mintToken(): Promise<{ value: string; lifetimeMs: number }> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret }).toString();
    const { signal } = this.closing;
    const request: SigmaRequest = { method: 'POST', path: TOKEN_PATH, endpoint: TOKEN_PATH, body, signal };
    let throttledSince: number | undefined;
    let refusals = 0;
    for (let retryNumber = 0; ; ) {
      await this.wait(this.lastTokenRequestAt + TOKEN_SPACING_MS - Date.now(), signal);
      this.lastTokenRequestAt = Date.now();
      const startedAt = performance.now();
      const attempt = await this.attempt(request, { 'content-type': 'application/x-www-form-urlencoded' });
      const status = attempt.outcome.status;
      if (status === 400 || status === 401 || status === 403 || status === 404) throw credentialsError(status);
      if (status === 429) {
        throttledSince ??= Date.now();
        if (Date.now() - throttledSince > TOKEN_THROTTLE_LIMIT_MS) {
          const minutes = TOKEN_THROTTLE_LIMIT_MS / 60_000;
          throw new ApiError(`could not get an access token: ${TOKEN_PATH} answered HTTP 429 for ${minutes} minutes: more processes share this API client than Sigma's one token request per second serves`, 429, 'fatal', { endpoint: TOKEN_PATH });
        }
        refusals += 1;
        this.options.logger.info(`retry ${refusals} of POST ${TOKEN_PATH} after HTTP 429 (another process of this API client asked first; not counted against max_retries)`);
        await this.wait(retryDelayMs(1, attempt.retryAfter, { maxWaitMs: this.options.maxRetryWaitMs }), signal);
        continue;
      }
      const next = this.decideToken(request, attempt, retryNumber, startedAt);
      if (next.done) return tokenOf(next.value.body);
      await this.wait(next.delayMs, signal);
      retryNumber += 1;
    }
  }

  /** Like `decide`; whatever stops a token request stops every request waiting for it, so it is fatal and says so. */
  private decideToken<T>(request: SigmaRequest, attempt: Attempt<T>, retryNumber: number, startedAt: number): { done: true; value: T } | { done: false; delayMs: number; unauthorized: boolean } {
    try {
      return this.decide(request, attempt, retryNumber, startedAt, undefined);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(`could not get an access token: ${error.message}`, error.status, 'fatal', error.context);
    }
  }

  private async attempt(request: SigmaRequest, headers: Record<string, string>): Promise<Attempt<SigmaAnswer>> {
    const scope = attemptScope(request.signal, this.options.timeoutMs);
    try {
      if (request.signal?.aborted) return { outcome: { aborted: true } };
      const response = await this.exchange(request, headers, scope.signal);
      // A redirect is judged by its status and Location alone: its body is not read.
      if (isRedirect(response.status)) response.data.destroy();
      const text = isRedirect(response.status) ? '' : await readBody(response.data, this.options.maxResponseBytes);
      if (text === undefined) return { outcome: { status: response.status, body: 'too-large' } };
      return readResponse(response, text, this.options.maxResponseBytes / BYTES_PER_CONTAINER);
    } catch (error) {
      if (request.signal?.aborted) return { outcome: { aborted: true } };
      if (scope.deadlineHit) return { outcome: { code: 'DEADLINE' } };
      return { outcome: failureOutcome(error) };
    } finally {
      scope.dispose();
    }
  }

  /**
   * One attempt whose 2xx body goes to `read` as it arrives. `request_timeout_ms` bounds the wait for
   * the response head, then the wait for each chunk of the body (see flowingBody): a long download is
   * healthy as long as it keeps making progress, and time the consumer's gate holds it paused is not
   * counted. An error body (4xx, 5xx) is read whole, within `max_response_bytes`, to be judged.
   */
  private async streamAttempt<T>(request: SigmaRequest, headers: Record<string, string>, read: (response: StreamedResponse) => Promise<T>): Promise<Attempt<T>> {
    const scope = attemptScope(request.signal, this.options.timeoutMs);
    let body: Readable | undefined;
    try {
      if (request.signal?.aborted) return { outcome: { aborted: true } };
      const response = await this.exchange(request, headers, scope.signal);
      scope.endDeadline();
      body = response.data;
      const flowing = (gate: DemandGate): AsyncIterable<Buffer> =>
        flowingBody(response.data, { gate, idleMs: this.options.timeoutMs, onIdle: scope.abort, ...(request.signal ? { signal: request.signal } : {}) });
      if (response.status < 200 || response.status >= 300) {
        const text = await readBody(flowing(ALWAYS_OPEN), this.options.maxResponseBytes);
        if (text === undefined) return { outcome: { status: response.status, body: 'too-large' } };
        return readResponse(response, text, this.options.maxResponseBytes / BYTES_PER_CONTAINER) as Attempt<T>;
      }
      const value = await read({ status: response.status, chunks: flowing(request.gate ?? ALWAYS_OPEN) });
      return { outcome: { status: response.status, body: 'stream' }, value };
    } catch (error) {
      if (request.signal?.aborted || error instanceof RequestCancelledError) return { outcome: { aborted: true } };
      if (error instanceof BodyInterruptedError) return { outcome: { code: error.code } };
      if (scope.deadlineHit) return { outcome: { code: 'DEADLINE' } };
      if (isAxiosError(error)) return { outcome: failureOutcome(error) };
      throw error;
    } finally {
      scope.dispose();
      body?.destroy();
    }
  }

  /** Sends one HTTP request; the response's body is a stream, read (or destroyed) by the caller. */
  private exchange(request: SigmaRequest, headers: Record<string, string>, signal: AbortSignal): Promise<AxiosResponse<Readable>> {
    return this.axios.request<Readable>({ method: request.method ?? 'GET', url: withQuery(request.path, request.params), data: request.body, headers, signal });
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

interface Attempt<T> {
  readonly outcome: AttemptOutcome;
  /** What the request resolves to when the policy accepts the attempt. */
  readonly value?: T;
  readonly retryAfter?: string;
}

function readResponse(response: AxiosResponse<unknown>, text: string, maxContainers: number): Attempt<SigmaAnswer> {
  const status = response.status;
  const retryAfter = headerText(response.headers['retry-after']);
  if (isRedirect(status)) return { outcome: { status, location: describeLocation(headerText(response.headers['location'])) } };
  const parsed = parseJson(text, { maxContainers });
  if (!parsed.ok) return { outcome: { status, body: parsed.body }, ...(retryAfter ? { retryAfter } : {}) };
  const message = status >= 400 && isEnvelope(parsed.value) ? parsed.value.message : undefined;
  return {
    outcome: { status, body: 'json', ...(message ? { message } : {}) },
    value: { body: parsed.value, maxDepth: parsed.maxDepth, exactNumbers: parsed.exactNumbers },
    ...(retryAfter ? { retryAfter } : {}),
  };
}

/**
 * An attempt's own signal: aborted when the request's signal aborts, or when `timeoutMs` passes first
 * (`deadlineHit` tells which). `endDeadline` stops the clock (a streamed body has its own idle limit).
 */
function attemptScope(requestSignal: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let deadlineHit = false;
  const timer = setTimeout(() => {
    deadlineHit = true;
    controller.abort();
  }, timeoutMs);
  const abort = (): void => controller.abort();
  requestSignal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    abort,
    get deadlineHit(): boolean {
      return deadlineHit;
    },
    endDeadline: (): void => clearTimeout(timer),
    dispose: (): void => {
      clearTimeout(timer);
      requestSignal?.removeEventListener('abort', abort);
    },
  };
}

function failureOutcome(error: unknown): AttemptOutcome {
  if (isAxiosError(error)) {
    const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return { code: cause ?? error.code ?? error.message };
  }
  // The body broke off while readBody read it (a reset, a premature close).
  if (error instanceof Error) return { code: (error as NodeJS.ErrnoException).code ?? error.message };
  return { code: String(error) };
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
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
