import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordSchema } from '../../../lib/streams/recordSchema.js';
import { createRecordShaper } from '../../../lib/streams/shapeRecord.js';
import type { StreamDefinition } from '../../../lib/streams/streamDefinition.js';

const definition: StreamDefinition = {
  name: 'workbook_pages',
  path: '/v2/workbooks/{workbookId}/pages',
  pagination: 'pageLimit',
  maxPageSize: 1000,
  entrySchema: { type: 'object', properties: { pageId: { type: 'string' }, name: { type: 'string' }, at: { type: 'string', format: 'date-time' } }, required: ['pageId'] },
  primaryKeys: ['workbookId', 'pageId'],
  replicationReason: 'FULL_TABLE',
  parent: 'workbooks',
};

describe('recordSchema', () => {
  test('adds the context keys and makes optional properties nullable', () => {
    const schema = recordSchema(definition, ['workbookId']);
    assert.deepEqual(Object.keys(schema.properties ?? {}), ['workbookId', 'pageId', 'name', 'at']);
    assert.deepEqual(schema.properties?.['name']?.type, ['string', 'null']);
    assert.equal(schema.properties?.['pageId']?.type, 'string');
    assert.deepEqual(schema.required, ['workbookId', 'pageId']);
  });
});

describe('createRecordShaper', () => {
  const shape = createRecordShaper(recordSchema(definition, ['workbookId']), ['workbookId']);

  test('writes parent keys, fills absent properties with null and drops unknown ones', () => {
    assert.deepEqual(shape({ pageId: 'p', extra: 1 }, { workbookId: 'w' }), { workbookId: 'w', pageId: 'p', name: null, at: null });
  });

  test("takes the parent's key from the context even when the entry has a field of that name", () => {
    assert.equal(shape({ pageId: 'p', workbookId: 'other' }, { workbookId: 'w' })['workbookId'], 'w');
  });

  test('rewrites non-strict date-times as RFC 3339 UTC and keeps strict ones', () => {
    assert.equal(shape({ pageId: 'p', at: '2024-01-02 03:04:05Z' }, { workbookId: 'w' })['at'], '2024-01-02T03:04:05.000Z');
    assert.equal(shape({ pageId: 'p', at: '2024-01-02T03:04:05.120+01:00' }, { workbookId: 'w' })['at'], '2024-01-02T03:04:05.120+01:00');
  });
});
