import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dereference } from '../../../scripts/openapi/dereference.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('dereference', () => {
  test('inlines nested component references', () => {
    const components = { A: { type: 'object', properties: { b: ref('B') } }, B: { type: 'string' } };
    assert.deepEqual(dereference({ type: 'array', items: ref('A') }, components), {
      type: 'array',
      items: { type: 'object', properties: { b: { type: 'string' } } },
    });
  });

  test('cuts a recursive reference to {} where the cycle closes', () => {
    const components = { Node: { type: 'object', properties: { children: { type: 'array', items: ref('Node') } } } };
    assert.deepEqual(dereference(ref('Node'), components), {
      type: 'object',
      properties: { children: { type: 'array', items: {} } },
    });
  });

  test('expands the same component twice when it is reused, not recursive', () => {
    const components = { S: { type: 'string' } };
    assert.deepEqual(dereference({ properties: { a: ref('S'), b: ref('S') } }, components), {
      properties: { a: { type: 'string' }, b: { type: 'string' } },
    });
  });

  test('lets keys next to a $ref override the target', () => {
    assert.deepEqual(dereference({ ...ref('S'), description: 'local' }, { S: { type: 'string', description: 'shared' } }), {
      type: 'string',
      description: 'local',
    });
  });

  test('does not take a property named $ref for a reference', () => {
    const schema = { type: 'object', properties: { $ref: { type: 'string' } } };
    assert.deepEqual(dereference(schema, {}), schema);
  });

  test('throws on a reference outside components.schemas or to a missing one', () => {
    assert.throws(() => dereference({ $ref: 'other.json#/A' }, {}), /unsupported \$ref/);
    assert.throws(() => dereference(ref('Missing'), {}), /points to no schema/);
  });
});
