/** What the runner does with an error: stop the run, retry the request, or skip one partition. */
export type ErrorKind = 'fatal' | 'retriable' | 'skippable';

/**
 * The one base class of every error the tap raises on purpose.
 * `code` is stable (tests and library users match on it); `context` says where it happened and never
 * carries a token or the client secret.
 */
export class TapSigmaError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly kind: ErrorKind = 'fatal',
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad config, catalog or state: the user has to fix a file or a setting. */
export class InputError extends TapSigmaError {
  constructor(message: string, context: Readonly<Record<string, unknown>> = {}) {
    super(message, 'TAP_SIGMA_INPUT', 'fatal', context);
  }
}

/** The Sigma API answered with an error that retries did not cure. */
export class ApiError extends TapSigmaError {
  constructor(
    message: string,
    readonly status: number | undefined,
    kind: ErrorKind,
    context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, 'TAP_SIGMA_API', kind, context);
  }

  /** The endpoint is not offered to this client (403, 404, a feature not enabled), as opposed to failing. */
  get unavailable(): boolean {
    return this.context['verdict'] === 'unavailable';
  }
}

/**
 * A request the tap cancelled itself (shutdown, unsubscribe, an error elsewhere): not a fault, never
 * retried, never logged.
 */
export class RequestCancelledError extends TapSigmaError {
  constructor() {
    super('request cancelled by the tap', 'TAP_SIGMA_CANCELLED', 'skippable');
  }
}

/** A cursor came back twice: following it would loop forever. */
export class PaginationLoopError extends TapSigmaError {
  constructor(cursor: string, context: Readonly<Record<string, unknown>> = {}) {
    super(`pagination cursor repeated (${cursor.slice(0, 16)}…)`, 'TAP_SIGMA_PAGINATION_LOOP', 'fatal', context);
  }
}

/** A record failed schema validation while `validate_records` is `fail`. */
export class RecordValidationError extends TapSigmaError {
  constructor(stream: string, detail: string) {
    super(`record of stream '${stream}' does not match its schema: ${detail}`, 'TAP_SIGMA_INVALID_RECORD', 'fatal', { stream });
  }
}

/** The reader of stdout went away (EPIPE): the target exited before the tap was done. */
export class OutputClosedError extends TapSigmaError {
  constructor() {
    super('the target closed the pipe before the tap finished writing', 'TAP_SIGMA_EPIPE', 'fatal');
  }
}

/** One line for a human: the message of a known error, a generic line for anything else. */
export function describeError(error: unknown): string {
  if (error instanceof TapSigmaError) return error.message;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}
