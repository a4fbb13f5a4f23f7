import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endpointStreams } from '../../../lib/metrics/endpointStreams.js';
import { streamTrees } from '../../../lib/metrics/streamTrees.js';
import { streams } from '../../../pipelines/index.js';

describe('endpointStreams', () => {
  test('maps an endpoint template to the one stream that requests it', () => {
    const map = endpointStreams(streams);
    assert.equal(map.get('/v2/workbooks'), 'workbooks');
    assert.equal(map.get('/v2/workbooks/{workbookId}/pages'), 'workbook_pages');
  });

  test('leaves out an endpoint several streams share', () => {
    assert.equal(endpointStreams(streams).has('/v2/grants'), false);
  });
});

describe('streamTrees', () => {
  test('puts every stream in exactly one tree, under its top-level ancestor', () => {
    const trees = streamTrees(streams);
    assert.deepEqual([...trees.keys()].sort(), streams.filter((s) => !s.parent).map((s) => s.name).sort());
    const members = [...trees.values()].flat();
    assert.deepEqual([...members].sort(), streams.map((s) => s.name).sort());
    assert.ok(trees.get('workbooks')!.includes('workbook_page_elements'), 'a grandchild belongs to its root');
  });
});
