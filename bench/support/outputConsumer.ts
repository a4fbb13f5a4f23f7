import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface ConsumerOptions {
  /** Bytes per second the reader takes; absent, it reads as fast as the pipe delivers. */
  readonly bytesPerSec?: number;
  /** Also copies the output into this file, for the record-set check after the run. */
  readonly captureTo?: string;
}

/** What a consumer saw on the tap's stdout. */
export interface ConsumedOutput {
  readonly bytes: number;
  readonly lines: number;
  readonly records: number;
  readonly states: number;
  /** Bytes of all STATE lines together, and of the longest one: both must not grow with the organization. */
  readonly stateBytes: number;
  readonly maxStateBytes: number;
}

const HEAD = 16;

/**
 * Reads a Singer stream the way a target does, but cheaply: it counts bytes and lines and tells
 * RECORD from STATE by each line's first bytes (`{"type":"RECORD"`), without parsing, so that the
 * reader costs the tap as little CPU as possible on a 2-core machine.
 *
 * Throttled, it pauses the pipe whenever it is ahead of `bytesPerSec`; the kernel's pipe buffer then
 * fills, the tap's `write()` starts returning false, and the tap has to wait: that is the slow target.
 */
export function consumeOutput(stdout: Readable, options: ConsumerOptions = {}): Promise<ConsumedOutput> {
  const capture = options.captureTo ? createWriteStream(options.captureTo) : undefined;
  let bytes = 0;
  let lines = 0;
  let records = 0;
  let states = 0;
  let stateBytes = 0;
  let maxStateBytes = 0;
  let head = '';
  let lineBytes = 0;
  const started = performance.now();

  const endLine = (): void => {
    lines += 1;
    if (head.startsWith('{"type":"RECORD"')) records += 1;
    else if (head.startsWith('{"type":"STATE"')) {
      states += 1;
      stateBytes += lineBytes;
      maxStateBytes = Math.max(maxStateBytes, lineBytes);
    }
  };

  return new Promise((resolve, reject) => {
    stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      capture?.write(chunk);
      let position = 0;
      for (;;) {
        const newline = chunk.indexOf(10, position);
        const end = newline < 0 ? chunk.length : newline + 1;
        if (head.length < HEAD) head += chunk.toString('latin1', position, Math.min(end, position + HEAD - head.length));
        lineBytes += end - position;
        if (newline < 0) break;
        endLine();
        head = '';
        lineBytes = 0;
        position = end;
        if (position >= chunk.length) break;
      }
      if (options.bytesPerSec) {
        const dueMs = (bytes / options.bytesPerSec) * 1000 - (performance.now() - started);
        if (dueMs > 1) {
          stdout.pause();
          setTimeout(() => stdout.resume(), dueMs);
        }
      }
    });
    stdout.on('error', reject);
    stdout.on('end', () => {
      if (lineBytes > 0) endLine();
      const result = { bytes, lines, records, states, stateBytes, maxStateBytes };
      if (!capture) return resolve(result);
      capture.end(() => resolve(result));
    });
  });
}
