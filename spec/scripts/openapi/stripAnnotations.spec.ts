import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stripAnnotations } from '../../../scripts/openapi/stripAnnotations.js';

describe('stripAnnotations', () => {
  test('drops annotations and x- keys but keeps a property named description', () => {
    const schema = {
      type: 'object',
      title: 'T',
      description: 'd',
      'x-internal': true,
      properties: { description: { type: 'string', description: 'the description', example: 'x' } },
      required: ['description'],
    };
    assert.deepEqual(stripAnnotations(schema), {
      type: 'object',
      properties: { description: { type: 'string' } },
      required: ['description'],
    });
  });

  test('keeps JSON Schema formats and drops OpenAPI numeric ones', () => {
    assert.deepEqual(stripAnnotations({ type: 'string', format: 'date-time' }), { type: 'string', format: 'date-time' });
    assert.deepEqual(stripAnnotations({ type: 'number', format: 'double' }), { type: 'number' });
  });

  test('leaves enum values alone even when they look like schemas', () => {
    assert.deepEqual(stripAnnotations({ enum: [{ description: 'kept' }] }), { enum: [{ description: 'kept' }] });
  });
});
