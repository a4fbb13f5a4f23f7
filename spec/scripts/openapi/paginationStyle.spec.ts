import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonSchema } from '../../../scripts/openapi/jsonSchema.js';
import { paginationStyle } from '../../../scripts/openapi/paginationStyle.js';

const item: JsonSchema = { type: 'object', properties: { id: { type: 'string' } } };
const envelope = (cursor: string): JsonSchema => ({ type: 'object', properties: { entries: { type: 'array', items: item }, [cursor]: { type: ['string', 'null'] } } });

describe('paginationStyle', () => {
  test('pairs nextPage with page/limit and nextPageToken with pageToken/pageSize', () => {
    assert.equal(paginationStyle('/a', ['page', 'limit'], envelope('nextPage')), 'pageLimit');
    assert.equal(paginationStyle('/a', ['pageToken', 'pageSize'], envelope('nextPageToken')), 'pageToken');
  });

  test('throws when the envelope cursor and the parameters do not pair up', () => {
    assert.throws(() => paginationStyle('/a', ['page', 'limit'], envelope('nextPageToken')), /GET \/a: the body says pageToken/);
  });

  test('recognises a bare array, and a oneOf of bare array and envelope', () => {
    assert.equal(paginationStyle('/a', [], { type: 'array', items: item }), 'array');
    assert.equal(paginationStyle('/a', ['page', 'limit'], { oneOf: [{ type: 'array', items: item }, envelope('nextPage')] }), 'arrayOrEnvelope');
  });

  test('treats a oneOf of {entries} and {entries, nextPage} as pageLimit', () => {
    const bare = { type: 'object', properties: { entries: { type: 'array', items: item } } };
    assert.equal(paginationStyle('/a', ['page', 'limit'], { oneOf: [bare, envelope('nextPage')] }), 'pageLimit');
  });

  test('treats an object that is not an envelope as single, even with page/limit declared', () => {
    assert.equal(paginationStyle('/a', ['page', 'limit'], item), 'single');
    assert.equal(paginationStyle('/a', [], { oneOf: [item, { type: 'object', properties: { code: { type: 'string' } } }] }), 'single');
  });
});
