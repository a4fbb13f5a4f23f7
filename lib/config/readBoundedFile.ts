import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of a file, or undefined as soon as it proves longer than `maxBytes`.
 * Reads in a loop until end of file rather than trusting fstat: /dev/zero and FIFOs report size 0
 * and never end, so at most `maxBytes` plus one chunk is ever held. File system errors are thrown as is.
 */
export function readBoundedFile(path: string, maxBytes: number): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) return Buffer.concat(chunks, total);
      total += read;
      if (total > maxBytes) return undefined;
      // A copy of what was read: a pipe hands over a few KB at a time, and keeping whole chunks for them
      // would hold far more than maxBytes.
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
  } finally {
    closeSync(fd);
  }
}
