import type { Readable } from 'node:stream';
import { RequestCancelledError } from '../errors.js';
import type { DemandGate } from './demandGate.js';

/** A streamed body broke off (a reset, a close before its end, no progress in time): the attempt failed. */
export class BodyInterruptedError extends Error {
  constructor(readonly code: string) {
    super(`the body broke off (${code})`);
    this.name = new.target.name;
  }
}

export interface FlowingBodyOptions {
  /** The body is read only while this is open: a closed gate leaves it in the socket (TCP backpressure). */
  readonly gate: DemandGate;
  /** Each chunk must arrive within this long of being asked for. */
  readonly idleMs: number;
  /** Called when `idleMs` passed without a chunk; it must make the body fail (abort the request). */
  readonly onIdle: () => void;
  readonly signal?: AbortSignal;
}

/**
 * The chunks of a response body, pulled one at a time. Two things a plain `for await` over the body
 * lacks:
 * - backpressure from the consumer's gate: no chunk is pulled while the gate is closed, so Node stops
 *   reading the socket once its buffer is full and the server's writes wait;
 * - a progress deadline instead of a deadline on the whole body: a download of a million rows may
 *   take minutes and is healthy as long as bytes keep coming, so the clock runs only while a chunk is
 *   awaited from the network, never while the consumer is busy or its gate is closed, and restarts
 *   with every chunk. A connection that stalls is abandoned after `idleMs`; one that the consumer left
 *   paused for long may be dropped by the server, which shows up as a reset, retried like any other.
 * A transport failure comes out as a BodyInterruptedError, anything the tap cancelled as a
 * RequestCancelledError.
 */
export async function* flowingBody(body: Readable, options: FlowingBodyOptions): AsyncGenerator<Buffer> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let idle = false;
  for (;;) {
    if (!options.gate.open) await opened(options.gate, options.signal);
    const timer = setTimeout(() => {
      idle = true;
      options.onIdle();
    }, options.idleMs);
    let step: IteratorResult<Buffer>;
    try {
      step = await chunks.next();
    } catch (error) {
      if (options.signal?.aborted) throw new RequestCancelledError();
      throw new BodyInterruptedError(idle ? 'DEADLINE' : errorCode(error));
    } finally {
      clearTimeout(timer);
    }
    if (step.done) return;
    yield step.value;
  }
}

function opened(gate: DemandGate, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RequestCancelledError());
    let cancel = (): void => undefined;
    const onAbort = (): void => {
      cancel();
      reject(new RequestCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    cancel = gate.onOpen(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.message : String(error);
}
