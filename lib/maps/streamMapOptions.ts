import { InputError } from '../errors.js';
import { flatteningOptionsFromConfig } from '../flattening/flatteningOptions.js';
import type { StreamMapOptions } from './compileStreamMaps.js';

/**
 * The stream map and flattening settings of a merged config, ready for compileStreamMaps.
 * `stream_maps` and `stream_map_config` may also be JSON text, which is how an environment variable
 * (`TAP_SIGMA_STREAM_MAPS='{"members": {"email": null}}'`) carries an object.
 * @example compileStreamMaps(streams, { ...streamMapOptionsFromConfig(config), allStreamNames })
 */
export function streamMapOptionsFromConfig(config: Readonly<Record<string, unknown>>): StreamMapOptions {
  return {
    streamMaps: objectSetting(config, 'stream_maps'),
    streamMapConfig: objectSetting(config, 'stream_map_config'),
    flattening: flatteningOptionsFromConfig(config),
  };
}

function objectSetting(config: Readonly<Record<string, unknown>>, name: string): unknown {
  const value = config[name];
  if (typeof value !== 'string') return value ?? undefined;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new InputError(`config: setting '${name}' must be a JSON object`);
  }
}
