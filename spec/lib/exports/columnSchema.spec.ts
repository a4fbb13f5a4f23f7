import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { columnSchema, isDateTimeColumn } from '../../../lib/exports/columnSchema.js';

describe('columnSchema', () => {
  test('types numbers, text, booleans and date-times', () => {
    assert.deepEqual(columnSchema({ type: 'number' }), { type: 'number' });
    assert.deepEqual(columnSchema({ type: 'text' }), { type: 'string' });
    assert.deepEqual(columnSchema({ type: 'boolean' }), { type: 'boolean' });
    for (const unit of ['day', 'second', 'millisecond']) assert.deepEqual(columnSchema({ type: 'datetime', unit }), { type: 'string', format: 'date-time' });
  });

  test('types arrays and structs as such and leaves their contents open', () => {
    assert.deepEqual(columnSchema({ type: 'array', elementType: { type: 'text' } }), { type: 'array' });
    assert.deepEqual(columnSchema({ type: 'struct', fields: [{ name: 'lat', type: { type: 'number' } }] }), { type: 'object' });
  });

  test('leaves variants and anything it does not know unconstrained', () => {
    for (const type of [{ type: 'variant' }, { type: 'geography' }, {}, null, 'number', undefined]) assert.deepEqual(columnSchema(type), {}, JSON.stringify(type));
  });

  test('isDateTimeColumn is true for datetime columns only', () => {
    assert.equal(isDateTimeColumn({ type: 'datetime', unit: 'day' }), true);
    assert.equal(isDateTimeColumn({ type: 'text' }), false);
  });
});
