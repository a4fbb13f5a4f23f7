import { InputError } from '../errors.js';
import { DEFAULT_MAX_KEY_LENGTH, DEFAULT_SEPARATOR } from './flattenKey.js';

export interface FlatteningOptions {
  /** `flattening_max_depth`: how many object levels become columns; at least 1. */
  readonly maxDepth: number;
  /** `flattening_separator`. */
  readonly separator: string;
  /** `flattening_max_key_length`: column names this long or longer are abbreviated. */
  readonly maxKeyLength: number;
}

/**
 * The flattening settings of a config, checked as the Meltano SDK checks them (`FlatteningOptions`):
 * `flattening_max_depth` is required once `flattening_enabled` is true.
 * Contract: undefined when flattening is off or its depth is 0 (the SDK then leaves records alone);
 *   InputError naming the setting for a wrong value.
 * @example flatteningOptionsFromConfig({ flattening_enabled: true, flattening_max_depth: 1 }) // { maxDepth: 1, separator: '__', maxKeyLength: 255 }
 */
export function flatteningOptionsFromConfig(config: Readonly<Record<string, unknown>>): FlatteningOptions | undefined {
  const enabled = config['flattening_enabled'];
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') throw settingError('flattening_enabled', 'must be true or false', enabled);
  if (enabled !== true) return undefined;
  const maxDepth = config['flattening_max_depth'];
  if (maxDepth === undefined || maxDepth === null) throw new InputError("config: setting 'flattening_max_depth' is required when flattening_enabled is true");
  if (!isCount(maxDepth, 0)) throw settingError('flattening_max_depth', 'must be an integer of at least 0', maxDepth);
  const separator = config['flattening_separator'] ?? DEFAULT_SEPARATOR;
  if (typeof separator !== 'string') throw settingError('flattening_separator', 'must be a string', separator);
  const maxKeyLength = config['flattening_max_key_length'] ?? DEFAULT_MAX_KEY_LENGTH;
  if (!isCount(maxKeyLength, 1)) throw settingError('flattening_max_key_length', 'must be an integer of at least 1', maxKeyLength);
  if (maxDepth === 0) return undefined;
  return { maxDepth, separator, maxKeyLength };
}

const isCount = (value: unknown, minimum: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= minimum;

function settingError(name: string, expected: string, value: unknown): InputError {
  return new InputError(`config: setting '${name}' ${expected}, got ${JSON.stringify(value)}`);
}
