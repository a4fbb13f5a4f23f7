import { InputError } from '../errors.js';
import { parseJsonObject } from './parseJsonObject.js';
import { readBoundedFile } from './readBoundedFile.js';

/** The role of an input file; it starts every error line about the file ("catalog file c.json: …"). */
export type InputFileRole = 'config' | 'catalog' | 'state';

const MIB = 1024 * 1024;

/**
 * The most bytes read of each input file. A config is a few hundred bytes; the catalog `--discover`
 * prints is about 0.5 MB; a state the tap writes holds one bookmark per stream, while a Meltano SDK
 * state keeps one partition per parent (tens of MB for a very large organization).
 */
export const INPUT_FILE_LIMITS: Readonly<Record<InputFileRole, number>> = { config: 1 * MIB, catalog: 64 * MIB, state: 64 * MIB };

/**
 * Reads a JSON file whose root must be an object, at most `maxBytes` of it (so /dev/zero or an endless
 * FIFO fails at once instead of filling memory). Errors are one line naming the role, the path and the
 * problem: missing, unreadable, too large, not UTF-8, not JSON (with line and column), a `__proto__`
 * key, too deeply nested, or a root that is not an object.
 */
export function readJsonObject(path: string, role: InputFileRole, maxBytes: number = INPUT_FILE_LIMITS[role]): Record<string, unknown> {
  const where = `${role} file ${path}`;
  let bytes: Buffer | undefined;
  try {
    bytes = readBoundedFile(path, maxBytes);
  } catch (error) {
    throw new InputError(`${where}: ${readProblem(error as NodeJS.ErrnoException)}`);
  }
  if (bytes === undefined) throw new InputError(`${where}: larger than ${formatBytes(maxBytes)}, the limit for a ${role} file`);
  let text: string;
  try {
    // fatal: a byte that is not UTF-8 is an error rather than a silent U+FFFD; a leading BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${where}: not valid UTF-8`);
  }
  return parseJsonObject(text, where);
}

function readProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${error.code ?? error.message})`;
  }
}

function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}
