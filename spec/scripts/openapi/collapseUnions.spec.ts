import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collapseUnions } from '../../../scripts/openapi/collapseUnions.js';
import type { JsonSchema } from '../../../scripts/openapi/jsonSchema.js';

describe('collapseUnions', () => {
  test('merges a nullable object union nested in a property', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { schedule: { oneOf: [{ type: 'object', properties: { cronSpec: { type: 'string' } } }, { type: 'null' }] } },
    };
    assert.deepEqual(collapseUnions(schema), {
      type: 'object',
      properties: { schedule: { type: ['null', 'object'], properties: { cronSpec: { type: 'string' } } } },
    });
  });

  test('merges unions inside union members first', () => {
    const schema: JsonSchema = { oneOf: [{ oneOf: [{ type: 'string' }, { type: 'boolean' }] }, { type: 'null' }] };
    assert.deepEqual(collapseUnions(schema), { type: ['boolean', 'null', 'string'] });
  });

  test('folds allOf members into one schema demanding all of them', () => {
    const schema: JsonSchema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { type: 'object', properties: { b: { type: 'number' } }, required: ['b'] },
      ],
    };
    assert.deepEqual(collapseUnions(schema), {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  test('throws on an allOf whose types cannot intersect', () => {
    assert.throws(() => collapseUnions({ allOf: [{ type: 'string' }, { type: 'object' }] }), /disjoint types/);
  });
});
