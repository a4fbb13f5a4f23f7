/**
 * The tap's one fault policy: what an HTTP attempt's outcome means and what happens next. Every
 * request the tap sends (API reads, exports, downloads, token requests) is judged here, against one
 * retry budget (`max_retries`) and one backoff rule.
 */

/** What came back from one attempt, reduced to what the policy reads. */
export interface AttemptOutcome {
  /** The status line, when a response head arrived. */
  readonly status?: number;
  /** What the body was, when one was read. */
  readonly body?: BodyKind;
  /** A network or transport error code (ECONNRESET, ETIMEDOUT, ERR_SSL_…). */
  readonly code?: string;
  /** The request's own signal was aborted by the tap (shutdown, unsubscribe, an error elsewhere). */
  readonly aborted?: boolean;
  /** Sigma's error message from a JSON error envelope, when there was one. */
  readonly message?: string;
  /** The `Location` header of a redirect. */
  readonly location?: string;
}

/**
 * JSON as expected; an HTML page (an edge or challenge page); JSON cut short; nothing; over the size
 * limit; more objects and arrays than the size limit allows (what their parsing would cost); a streamed
 * body its reader consumed to the end (an export file, whatever its format).
 */
export type BodyKind = 'json' | 'html' | 'truncated' | 'empty' | 'too-large' | 'too-many-values' | 'stream';

export type Verdict =
  /** The attempt answered: use its body. */
  | { readonly action: 'accept' }
  /** Send it again after `retryDelayMs`; `throttled` for a 429, `unauthorized` for a 401 (new token first). */
  | { readonly action: 'retry'; readonly reason: string; readonly throttled: boolean; readonly unauthorized: boolean }
  /**
   * Stop. `unavailable`: this endpoint is not offered to this client (403/404, a feature not enabled);
   * `answer`: a status the endpoint declares as "nothing here"; `aborted`: the tap cancelled it itself
   * (never logged, never retried); `fatal`: a fault retries cannot cure.
   */
  | { readonly action: 'stop'; readonly kind: 'unavailable' | 'answer' | 'aborted' | 'fatal'; readonly reason: string };

/** Network failures worth another try: resets, timeouts, refused or half-closed connections. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  // ERR_BAD_RESPONSE without a status: the body broke off (a reset after the headers).
  'ERR_NETWORK', 'ERR_BAD_RESPONSE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'DEADLINE', 'UND_ERR_SOCKET',
]);

/** Sigma's wording when a plan or a feature flag does not include an endpoint (it answers 400 then). */
const NOT_ENABLED = /not (enabled|available|supported|licensed)|feature .*(disabled|off)|upgrade your plan/i;

/**
 * Judges one attempt. `answers` are statuses this endpoint declares as an answer (Sigma's 500 for "no
 * lineage"); they are never retried.
 */
export function judge(outcome: AttemptOutcome, answers: readonly number[] = []): Verdict {
  if (outcome.aborted) return { action: 'stop', kind: 'aborted', reason: 'cancelled by the tap' };
  const { status } = outcome;
  if (status === undefined) return judgeNetwork(outcome.code ?? 'network error', outcome.body);
  if (answers.includes(status)) return { action: 'stop', kind: 'answer', reason: `HTTP ${status}` };
  if (status >= 200 && status < 300) {
    if (outcome.body === 'json' || outcome.body === 'stream') return { action: 'accept' };
    return retry(describeBody(outcome.body, status));
  }
  if (status >= 300 && status < 400) {
    return { action: 'stop', kind: 'fatal', reason: `a redirect (HTTP ${status}${outcome.location ? ` to ${outcome.location}` : ''}), which Sigma's API never sends: check api_url` };
  }
  if (status === 401) return { action: 'retry', reason: 'HTTP 401', throttled: false, unauthorized: true };
  if (status === 429) return { action: 'retry', reason: 'HTTP 429', throttled: true, unauthorized: false };
  if (status >= 500) return retry(outcome.body === 'html' ? `HTTP ${status} (an HTML error page)` : withMessage(status, outcome.message));
  if (status === 403 || status === 404) return { action: 'stop', kind: 'unavailable', reason: withMessage(status, outcome.message) };
  if (status === 400 && NOT_ENABLED.test(outcome.message ?? '')) return { action: 'stop', kind: 'unavailable', reason: withMessage(status, outcome.message) };
  return { action: 'stop', kind: 'fatal', reason: withMessage(status, outcome.message) };
}

function judgeNetwork(code: string, body: BodyKind | undefined): Verdict {
  if (body === 'too-large') return retry('a body over max_response_bytes');
  if (code === 'DEADLINE') return retry('no complete answer within request_timeout_ms');
  if (/^(ERR_SSL|EPROTO|CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED|ERR_TLS)/.test(code)) {
    return { action: 'stop', kind: 'fatal', reason: `the TLS handshake failed (${code}): is api_url an https endpoint of Sigma?` };
  }
  if (code === 'ENOTFOUND') return { action: 'stop', kind: 'fatal', reason: 'the host of api_url does not resolve (ENOTFOUND)' };
  if (TRANSIENT_CODES.has(code) || /socket hang up|aborted|terminated/i.test(code)) return retry(code);
  return { action: 'stop', kind: 'fatal', reason: code };
}

function retry(reason: string): Verdict {
  return { action: 'retry', reason, throttled: false, unauthorized: false };
}

function describeBody(body: BodyKind | undefined, status: number): string {
  switch (body) {
    case 'html':
      return `an HTML page instead of JSON (HTTP ${status})`;
    case 'truncated':
      return `a truncated JSON body (HTTP ${status})`;
    case 'too-large':
      return 'a body over max_response_bytes';
    case 'too-many-values':
      return `a body of more objects and arrays than max_response_bytes allows (HTTP ${status})`;
    default:
      return `an empty body (HTTP ${status})`;
  }
}

function withMessage(status: number, message: string | undefined): string {
  return message ? `HTTP ${status}: ${message.slice(0, 200)}` : `HTTP ${status}`;
}

export interface BackoffOptions {
  /** The longest wait before a retry, whatever Retry-After asks or backoff grows to. */
  readonly maxWaitMs: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** The first retry waits up to this long without Retry-After; each further one doubles it. */
const BASE_DELAY_MS = 250;

/**
 * Milliseconds to wait before retry number `retryNumber` (1-based). `Retry-After` in seconds or as an
 * HTTP date when the server sends it; otherwise exponential backoff with full jitter (a uniform draw in
 * [0, base × 2^(n−1)]), so that requests throttled together do not come back together. Both capped at
 * `maxWaitMs`.
 */
export function retryDelayMs(retryNumber: number, retryAfter: string | undefined, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const asked = retryAfterMs(retryAfter, options.now ?? Date.now);
  if (asked !== undefined) return Math.min(options.maxWaitMs, asked);
  const ceiling = Math.min(options.maxWaitMs, BASE_DELAY_MS * 2 ** Math.min(retryNumber - 1, 20));
  return random() * ceiling;
}

/** The three HTTP-date forms (RFC 9110 §5.6.7) all start with a day name; Date.parse alone reads "-1" as a date. */
const HTTP_DATE = /^[A-Za-z]{3,9},? /;

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | undefined, now: () => number = Date.now): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime's form has no zone, and HTTP dates are always GMT: Date.parse would read it as local time.
  const at = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}
