import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { flatteningOptionsFromConfig } from '../../../lib/flattening/flatteningOptions.js';

const fails = (config: Record<string, unknown>, message: string): void => {
  assert.throws(() => flatteningOptionsFromConfig(config), (error: unknown) => error instanceof InputError && error.message === message);
};

describe('flatteningOptionsFromConfig', () => {
  test('off unless enabled, and off at depth 0 (as the SDK)', () => {
    assert.equal(flatteningOptionsFromConfig({}), undefined);
    assert.equal(flatteningOptionsFromConfig({ flattening_enabled: false, flattening_max_depth: 3 }), undefined);
    assert.equal(flatteningOptionsFromConfig({ flattening_enabled: true, flattening_max_depth: 0 }), undefined);
  });

  test('reads depth, separator and key length with the SDK defaults', () => {
    assert.deepEqual(flatteningOptionsFromConfig({ flattening_enabled: true, flattening_max_depth: 1 }), { maxDepth: 1, separator: '__', maxKeyLength: 255 });
    assert.deepEqual(flatteningOptionsFromConfig({ flattening_enabled: true, flattening_max_depth: 3, flattening_separator: '.', flattening_max_key_length: 63 }), { maxDepth: 3, separator: '.', maxKeyLength: 63 });
  });

  test('the depth is required once flattening is enabled; wrong values name the setting', () => {
    fails({ flattening_enabled: true }, "config: setting 'flattening_max_depth' is required when flattening_enabled is true");
    fails({ flattening_enabled: 'yes' }, 'config: setting \'flattening_enabled\' must be true or false, got "yes"');
    fails({ flattening_enabled: true, flattening_max_depth: -1 }, "config: setting 'flattening_max_depth' must be an integer of at least 0, got -1");
    fails({ flattening_enabled: true, flattening_max_depth: 1, flattening_max_key_length: 0 }, "config: setting 'flattening_max_key_length' must be an integer of at least 1, got 0");
  });
});
