import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { streamMapOptionsFromConfig } from '../../../lib/maps/streamMapOptions.js';

describe('streamMapOptionsFromConfig', () => {
  test('reads the settings as objects, or as JSON text from an environment variable', () => {
    assert.deepEqual(streamMapOptionsFromConfig({ stream_maps: { members: { email: null } }, stream_map_config: { seed: 'x' }, flattening_enabled: true, flattening_max_depth: 2 }), {
      streamMaps: { members: { email: null } },
      streamMapConfig: { seed: 'x' },
      flattening: { maxDepth: 2, separator: '__', maxKeyLength: 255 },
    });
    assert.deepEqual(streamMapOptionsFromConfig({ stream_maps: '{"members": null}', stream_map_config: '' }), { streamMaps: { members: null }, streamMapConfig: undefined, flattening: undefined });
  });

  test('JSON text that does not parse names the setting', () => {
    assert.throws(() => streamMapOptionsFromConfig({ stream_maps: '{members' }), (error: unknown) => error instanceof InputError && error.message === "config: setting 'stream_maps' must be a JSON object");
  });
});
