import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry from 'axios-retry';
import type { TapConfig } from '../config/tapConfig.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { ConcurrencyLimiter, type Release } from './concurrencyLimiter.js';
import { isRetriable, retryDelayMs } from './retryPolicy.js';
import { TokenProvider } from './tokenProvider.js';

/** Fresh tokens tried on one request after 401s, beyond the retries for other faults. */
const MAX_UNAUTHORIZED_RETRIES = 3;

export type QueryValue = string | number | boolean | readonly string[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

export interface GetOptions {
  readonly signal?: AbortSignal;
  /** Statuses that are an answer for this endpoint, not a fault (Sigma's 500 for "no lineage"). */
  readonly noRetryStatuses?: readonly number[];
  /** Path template for logs and metrics, e.g. /v2/workbooks/{workbookId}/pages. */
  readonly endpoint?: string;
  /** The stream the request is for; several streams may share one endpoint (/v2/grants). */
  readonly stream?: string;
}

export interface RequestEvent {
  readonly endpoint: string;
  readonly stream: string | undefined;
  readonly status: number | undefined;
  readonly durationMs: number;
  readonly retry: boolean;
}

export interface SigmaClientOptions {
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly logger: Logger;
  readonly onRequest?: (event: RequestEvent) => void;
}

/** What the interceptors keep on a request between sending and answer. */
interface RequestState {
  release?: Release;
  token?: string;
  startedAt?: number;
  /** 401s seen by this request; each one drops the token it used. */
  unauthorized?: number;
  options?: GetOptions;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    tapSigma?: RequestState;
  }
}

/**
 * The only place that talks HTTP to Sigma. Every GET goes through one process-wide ConcurrencyLimiter,
 * carries the shared token, and is retried by axios-retry. A slot is held only while a request is on the
 * wire, not while it waits for a retry, so backoff never starves the other requests.
 */
export class SigmaClient {
  readonly limiter: ConcurrencyLimiter;
  readonly tokens: TokenProvider;
  private readonly axios: AxiosInstance;
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  /** A client with the settings of a tap config. */
  static fromConfig(config: TapConfig, logger: Logger, onRequest?: (event: RequestEvent) => void): SigmaClient {
    return new SigmaClient({
      apiUrl: config.api_url,
      clientId: config.client_id,
      clientSecret: config.client_secret,
      concurrency: config.concurrency,
      maxRetries: config.max_retries,
      timeoutMs: config.request_timeout_ms,
      userAgent: config.user_agent,
      logger,
      ...(onRequest ? { onRequest } : {}),
    });
  }

  constructor(private readonly options: SigmaClientOptions) {
    options.logger.addSecret(options.clientSecret);
    this.limiter = new ConcurrencyLimiter({ max: options.concurrency });
    const base = {
      baseURL: options.apiUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      headers: { 'user-agent': options.userAgent, accept: 'application/json' },
      // Parse here so a truncated body or an HTML page becomes a retriable error, not a crash later.
      transformResponse: [(text: unknown) => parseJsonOrKeep(text)],
      responseType: 'text' as const,
    };
    this.tokens = new TokenProvider({ http: axios.create(base), clientId: options.clientId, clientSecret: options.clientSecret });
    this.axios = axios.create(base);
    this.installInterceptors();
  }

  /** GETs `path` and returns the parsed JSON body; errors are ApiError with a kind. */
  async get(path: string, params: QueryParams = {}, options: GetOptions = {}): Promise<unknown> {
    try {
      const response = await this.axios.get(path, {
        params,
        paramsSerializer: { indexes: null },
        signal: options.signal,
        tapSigma: { options },
      });
      return response.data;
    } catch (error) {
      throw this.wrap(error, path, options);
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private installInterceptors(): void {
    const { logger } = this.options;
    this.axios.interceptors.request.use(async (config) => {
      const state = (config.tapSigma ??= {});
      state.release = await this.limiter.acquire();
      try {
        state.token = await this.tokens.get();
      } catch (error) {
        state.release();
        throw error;
      }
      config.headers.set('authorization', `Bearer ${state.token}`);
      logger.addSecret(state.token);
      state.startedAt = performance.now();
      return config;
    });
    // Registered before axios-retry so the slot is freed before any backoff sleep.
    this.axios.interceptors.response.use(
      (response) => {
        this.finish(response.config, response.status);
        if (typeof response.data === 'string') {
          throw new AxiosError('response body is not JSON', 'ERR_BAD_RESPONSE', response.config, response.request, response);
        }
        this.limiter.succeeded();
        return response;
      },
      (error: unknown) => {
        if (isAxiosError(error) && error.config) {
          const status = error.response?.status;
          this.finish(error.config, status);
          if (status === 429) this.limiter.throttled();
          if (status === 401 && error.config.tapSigma?.token) this.tokens.invalidate(error.config.tapSigma.token);
        }
        throw error;
      },
    );
    axiosRetry(this.axios, {
      retries: this.options.maxRetries,
      // The timeout is per attempt: a hung attempt must not eat the budget of its retries.
      shouldResetTimeout: true,
      retryCondition: (error) => {
        const state = error.config?.tapSigma;
        if (error.response?.status === 401 && state) {
          // A token revoked under our feet: retry with a new one, but give up on a client that is
          // refused every time (a wrong credential fails at the token endpoint before this).
          state.unauthorized = (state.unauthorized ?? 0) + 1;
          return state.unauthorized <= MAX_UNAUTHORIZED_RETRIES;
        }
        return isRetriable(error, state?.options?.noRetryStatuses);
      },
      retryDelay: (retryNumber, error) =>
        error.response?.status === 401 ? 0 : retryDelayMs(retryNumber, error.response?.headers?.['retry-after']),
      onRetry: (retryNumber, error, config) => {
        const what = error.code === 'ERR_BAD_RESPONSE' ? 'a body that is not JSON' : error.response ? `HTTP ${error.response.status}` : (error.code ?? error.message);
        logger.warn(`retry ${retryNumber}/${this.options.maxRetries} of GET ${config.url ?? ''} after ${what}`);
      },
    });
  }

  private finish(config: InternalAxiosRequestConfig, status: number | undefined): void {
    const state = config.tapSigma;
    if (!state?.release) return;
    state.release();
    state.release = undefined;
    this.options.onRequest?.({
      endpoint: state.options?.endpoint ?? config.url ?? '',
      stream: state.options?.stream,
      status,
      durationMs: performance.now() - (state.startedAt ?? performance.now()),
      retry: (config['axios-retry']?.retryCount ?? 0) > 0,
    });
  }

  private wrap(error: unknown, path: string, options: GetOptions): unknown {
    if (!isAxiosError(error)) return error;
    if (error.code === 'ERR_CANCELED') return error;
    const status = error.response?.status;
    const endpoint = options.endpoint ?? path;
    const context = { endpoint, path, status };
    if (status === 403 || status === 404 || (status !== undefined && options.noRetryStatuses?.includes(status))) {
      return new ApiError(`GET ${path} answered HTTP ${status}`, status, 'skippable', context);
    }
    const reason = status !== undefined ? `HTTP ${status}` : (error.code ?? 'network error');
    const message = status === 401
      ? `GET ${path} was refused (HTTP 401) with ${MAX_UNAUTHORIZED_RETRIES + 1} successive tokens`
      : `GET ${path} failed after ${this.options.maxRetries} retries (${reason})`;
    return new ApiError(message, status, 'fatal', context);
  }
}

function parseJsonOrKeep(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
