import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeVariants } from '../../../scripts/openapi/mergeVariants.js';

describe('mergeVariants', () => {
  test('turns a oneOf of scalar types into a type array', () => {
    assert.deepEqual(mergeVariants([{ type: 'string' }, { type: 'number' }, { type: 'null' }]), { type: ['null', 'number', 'string'] });
  });

  test('unites enums when every member is an enum, counting type null as enum [null]', () => {
    assert.deepEqual(mergeVariants([{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['b'] }, { type: 'null' }]), {
      type: ['null', 'string'],
      enum: ['a', 'b', null],
    });
  });

  test('unites object properties and intersects required lists', () => {
    const merged = mergeVariants([
      { type: 'object', properties: { type: { type: 'string', enum: ['table'] }, inodeId: { type: 'string' } }, required: ['type', 'inodeId'] },
      { type: 'object', properties: { type: { type: 'string', enum: ['custom-sql'] }, definition: { type: 'string' } }, required: ['type', 'definition'] },
    ]);
    assert.deepEqual(merged, {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['table', 'custom-sql'] },
        inodeId: { type: 'string' },
        definition: { type: 'string' },
      },
      required: ['type'],
    });
  });

  test('widens a property that members define differently', () => {
    const merged = mergeVariants([
      { type: 'object', properties: { v: { type: 'string', format: 'date-time' } } },
      { type: 'object', properties: { v: { type: 'array', items: { type: 'string' } } } },
    ]);
    // format constrains strings only, so the array member does not lose it
    assert.deepEqual(merged.properties, { v: { type: ['array', 'string'], format: 'date-time', items: { type: 'string' } } });
  });

  test('keeps a format only when every string member has it', () => {
    assert.deepEqual(mergeVariants([{ type: 'string', format: 'date-time' }, { type: 'null' }]), { type: ['null', 'string'], format: 'date-time' });
    assert.deepEqual(mergeVariants([{ type: 'string', format: 'date-time' }, { type: 'string' }]), { type: 'string' });
  });

  test('falls back to {} when a member admits anything', () => {
    assert.deepEqual(mergeVariants([{ type: 'string' }, {}]), {});
  });

  test('returns the member itself when all members are the same', () => {
    assert.deepEqual(mergeVariants([{ type: 'string' }, { type: 'string' }]), { type: 'string' });
  });
});
