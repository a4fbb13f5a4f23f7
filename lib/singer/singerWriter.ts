import type { Writable } from 'node:stream';
import { type Observable, defer, from, lastValueFrom, of } from 'rxjs';
import { OutputClosedError } from '../errors.js';
import { type SingerMessage, serializeMessage } from './messages.js';

/**
 * The one owner of the output stream (stdout in the CLI). Everything the tap emits is written here, in
 * the order it is handed over, so a STATE written after some records is read after them.
 * Writes never block; instead producers ask `whenWritable()` before fetching more, which is how the
 * reader's pace travels back up to the HTTP requests.
 */
export class SingerWriter {
  private drained: Promise<void> | undefined;
  private lastState = '';
  private closedError: Error | undefined;

  private readonly failureListeners: Array<(error: Error) => void> = [];

  constructor(private readonly output: Writable) {
    output.on('error', (error: NodeJS.ErrnoException) => {
      if (this.closedError) return;
      this.closedError = error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' ? new OutputClosedError() : error;
      for (const listener of this.failureListeners) listener(this.closedError);
    });
  }

  /** Calls `listener` once if the output fails (EPIPE when the target exits early). */
  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /** The error that closed the output, if it closed early. */
  get failure(): Error | undefined {
    return this.closedError;
  }

  write(text: string): void {
    if (this.closedError) throw this.closedError;
    this.output.write(text);
  }

  writeMessage(message: SingerMessage): void {
    this.write(serializeMessage(message));
  }

  /** Writes a STATE unless it is identical to the previous one. */
  writeState(value: Readonly<Record<string, unknown>>): void {
    const line = serializeMessage({ type: 'STATE', value });
    if (line === this.lastState) return;
    this.lastState = line;
    this.write(line);
  }

  /** Completes at once while the output's buffer is under its high-water mark, else at the next 'drain'. */
  whenWritable(): Observable<void> {
    return defer(() => {
      if (this.closedError) throw this.closedError;
      if (!this.output.writableNeedDrain) return of(undefined);
      this.drained ??= new Promise<void>((resolve) => {
        const done = (): void => {
          this.output.off('drain', done);
          this.output.off('close', done);
          this.drained = undefined;
          resolve();
        };
        this.output.on('drain', done);
        this.output.on('close', done);
      });
      return from(this.drained);
    });
  }

  /** Resolves once everything written so far has been flushed to the output. */
  flush(): Promise<void> {
    if (this.closedError) return Promise.resolve();
    return lastValueFrom(this.whenWritable(), { defaultValue: undefined });
  }
}
