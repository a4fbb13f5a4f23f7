import type { AxiosError } from 'axios';

/** Network failures worth another try: resets, timeouts, refused or half-closed connections. */
const RETRIABLE_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ERR_BAD_RESPONSE', 'ERR_NETWORK', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Whether a failed request should be sent again: 429, 5xx (unless the caller expects that status as an
 * answer, e.g. Sigma's 500 for "no lineage"), network errors, and bodies that are not JSON (truncated
 * responses, HTML challenge pages). A cancelled request is never retried.
 */
export function isRetriable(error: AxiosError, noRetryStatuses: readonly number[] = []): boolean {
  if (error.code === 'ERR_CANCELED') return false;
  const status = error.response?.status;
  if (status !== undefined && error.code !== 'ERR_BAD_RESPONSE') {
    if (noRetryStatuses.includes(status)) return false;
    return status === 429 || status >= 500;
  }
  return error.code !== undefined ? RETRIABLE_CODES.has(error.code) || /socket hang up|aborted/i.test(error.message) : true;
}

/**
 * Milliseconds to wait before retry number `retryNumber` (1-based): `Retry-After` when Sigma sends it,
 * otherwise exponential backoff (0.5 s, 1 s, 2 s … capped at 30 s) with up to 50% jitter so that
 * concurrent requests do not retry in lockstep.
 */
export function retryDelayMs(retryNumber: number, retryAfterHeader: unknown, random: () => number = Math.random): number {
  const retryAfterS = Number(retryAfterHeader);
  if (Number.isFinite(retryAfterS) && retryAfterS > 0) return retryAfterS * 1000 + random() * 250;
  const base = Math.min(30_000, 500 * 2 ** (retryNumber - 1));
  return base + random() * base * 0.5;
}
