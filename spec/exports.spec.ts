import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as api from '../lib/index.js';

describe('the package entry point (lib/index.ts)', () => {
  test('exports exactly the public runtime names', () => {
    assert.deepEqual(Object.keys(api).sort(), [
      'ApiError',
      'InputError',
      'MapEvaluationError',
      'OutputClosedError',
      'PaginationLoopError',
      'RecordValidationError',
      'SETTINGS',
      'TapSigmaError',
      'createTap',
      'main',
      'streams',
    ]);
  });

  test('exports functions, error classes and tables of the expected kinds', () => {
    assert.equal(typeof api.createTap, 'function');
    assert.equal(typeof api.main, 'function');
    assert.ok(Array.isArray(api.streams) && api.streams.length > 0);
    assert.ok(Array.isArray(api.SETTINGS) && api.SETTINGS.length > 0);
    for (const ErrorClass of [api.ApiError, api.InputError, api.MapEvaluationError, api.OutputClosedError, api.PaginationLoopError, api.RecordValidationError]) {
      assert.ok(ErrorClass.prototype instanceof api.TapSigmaError, ErrorClass.name);
    }
  });
});
