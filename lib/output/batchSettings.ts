import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import type { BatchEncoding } from '../singer/messages.js';

/** The Meltano SDK's default `batch_size`: records per batch file. */
export const DEFAULT_BATCH_SIZE = 10_000;

/** `batch_config`, checked: where and how BATCH files are written. */
export interface BatchSettings {
  readonly encoding: BatchEncoding;
  /** Absolute path of the folder (`storage.root`). */
  readonly folder: string;
  /** `storage.prefix` of every file name. */
  readonly prefix: string;
  /** Most records in one file. */
  readonly batchSize: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const fail = (path: string, problem: string): never => {
  throw new InputError(`config: batch_config${path}: ${problem}`);
};

/**
 * Checks `batch_config` as the Meltano SDK's BatchConfig reads it (`encoding`, `storage`, optional
 * `batch_size`), for what tap-sigma writes: JSON Lines, gzip-compressed (the default) or not, in a
 * folder on local disk (`storage.root` a file:// URL or a path; a relative path is taken from the
 * working directory). Unknown keys are errors, as the SDK's dataclasses make them.
 * Contract: undefined when the setting is absent; otherwise settings or one InputError line.
 * @example readBatchSettings({ encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: 'file:///tmp/batches', prefix: 'sigma-' } })
 *   // { encoding: { format: 'jsonl', compression: 'gzip' }, folder: '/tmp/batches', prefix: 'sigma-', batchSize: 10000 }
 */
export function readBatchSettings(raw: unknown): BatchSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) return fail('', 'must be an object with encoding and storage');
  checkKeys(raw, ['encoding', 'storage', 'batch_size'], '');
  const { encoding, storage } = raw;
  if (!isObject(encoding)) return fail('.encoding', 'must be an object such as {"format": "jsonl", "compression": "gzip"}');
  checkKeys(encoding, ['format', 'compression'], '.encoding');
  if (encoding['format'] !== 'jsonl') fail('.encoding.format', `only "jsonl" is supported, got ${JSON.stringify(encoding['format'] ?? null)}`);
  const compression = encoding['compression'] ?? 'gzip';
  if (compression !== 'gzip' && compression !== 'none') fail('.encoding.compression', `must be "gzip" or "none", got ${JSON.stringify(compression)}`);
  if (!isObject(storage)) return fail('.storage', 'must be an object such as {"root": "file:///path/to/folder"}');
  checkKeys(storage, ['root', 'prefix'], '.storage');
  const prefix = storage['prefix'] ?? '';
  if (typeof prefix !== 'string' || /[/\\]/.test(prefix)) fail('.storage.prefix', `must be a file name prefix without slashes, got ${JSON.stringify(prefix)}`);
  const batchSize = raw['batch_size'] ?? DEFAULT_BATCH_SIZE;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) fail('.batch_size', `must be an integer of at least 1, got ${JSON.stringify(batchSize)}`);
  return { encoding: { format: 'jsonl', compression: compression as BatchEncoding['compression'] }, folder: folderOf(storage['root']), prefix: prefix as string, batchSize: batchSize as number };
}

function folderOf(root: unknown): string {
  if (typeof root !== 'string' || root === '') return fail('.storage.root', 'is required: a file:// URL or a path of a local folder');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(root)?.[1]?.toLowerCase();
  if (scheme === undefined) return isAbsolute(root) ? root : resolve(root);
  if (scheme !== 'file') return fail('.storage.root', `only local folders (file://) are supported, got ${JSON.stringify(root)}`);
  try {
    return fileURLToPath(root);
  } catch (error) {
    return fail('.storage.root', `${JSON.stringify(root)} is not a local file URL (${(error as Error).message})`);
  }
}

function checkKeys(object: Record<string, unknown>, known: readonly string[], path: string): void {
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined) fail(`${path}.${unknown}`, `unknown option (expected ${known.join(', ')})`);
}
