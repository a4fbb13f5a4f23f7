import type { RequestEvent } from '../http/sigmaClient.js';

/**
 * Watches a sync without taking part in it: every call is synchronous, must be cheap and must not
 * throw. `records` counts records as they are handed to the output.
 */
export interface SyncObserver {
  /** One HTTP attempt answered or failed (retries are separate attempts with `retry: true`). */
  request?(event: RequestEvent): void;
  records?(stream: string, count: number): void;
  /** A top-level stream and all its descendants are written; `unavailable` when its endpoint refused the client. */
  treeDone?(root: string, unavailable: boolean): void;
}
