import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxPageSize } from '../../../scripts/openapi/maxPageSize.js';
import type { OpenApiParameter } from '../../../scripts/openapi/openApiDocument.js';

const param = (name: string, schema: Record<string, number | string> = { type: 'integer' }, description?: string): OpenApiParameter =>
  ({ name, in: 'query', schema, description });

describe('maxPageSize', () => {
  test('prefers the size parameter maximum', () => {
    assert.equal(maxPageSize('/a', 'pageToken', [param('pageSize', { type: 'integer', maximum: 200 })]), 200);
  });

  test('reads a cap written in the parameter description', () => {
    assert.equal(maxPageSize('/a', 'pageLimit', [param('limit', undefined, 'Number of results, maximum of 1,000.')]), 1000);
    assert.equal(maxPageSize('/a', 'pageToken', [param('pageSize', undefined, 'Page size (default 50, max 500)')]), 500);
  });

  test('uses the known 500 cap of data model sources when the document states none', () => {
    assert.equal(maxPageSize('/v2/dataModels/{dataModelId}/sources', 'pageToken', [param('pageSize')]), 500);
  });

  test('defaults to 1000 for paged styles and null for array and single', () => {
    assert.equal(maxPageSize('/a', 'arrayOrEnvelope', [param('limit')]), 1000);
    assert.equal(maxPageSize('/a', 'array', []), null);
    assert.equal(maxPageSize('/a', 'single', [param('limit')]), null);
  });
});
