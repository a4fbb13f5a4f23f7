import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TapConfig } from '../../../lib/config/tapConfig.js';
import { buildRequest, fillPath } from '../../../lib/http/buildRequest.js';
import type { StreamDefinition } from '../../../lib/streams/streamDefinition.js';

const config = { page_size: 1000, skip_permission_check: false } as TapConfig;
const stream = (pagination: StreamDefinition['pagination'], maxPageSize: number | null = 1000): StreamDefinition => ({
  name: 's',
  path: '/v2/workbooks/{workbookId}/pages',
  pagination,
  maxPageSize,
  entrySchema: {},
  primaryKeys: [],
  replicationReason: 'FULL_TABLE',
});

describe('buildRequest', () => {
  test('sends limit and no page on the first pageLimit request, then the cursor verbatim', () => {
    assert.deepEqual(buildRequest(stream('pageLimit'), { workbookId: 'w1' }, undefined, config), { path: '/v2/workbooks/w1/pages', params: { limit: 1000 } });
    assert.deepEqual(buildRequest(stream('pageLimit'), { workbookId: 'w1' }, 'Zz9', config).params, { limit: 1000, page: 'Zz9' });
  });

  test('uses pageSize/pageToken and clamps to the endpoint maximum', () => {
    assert.deepEqual(buildRequest(stream('pageToken', 500), { workbookId: 'w' }, 'tok', config).params, { pageSize: 500, pageToken: 'tok' });
  });

  test('sends no paging parameter to bare-array and single endpoints', () => {
    assert.deepEqual(buildRequest(stream('array', null), { workbookId: 'w' }, undefined, config).params, {});
    assert.deepEqual(buildRequest(stream('single', null), { workbookId: 'w' }, undefined, config).params, {});
  });

  test('always sends limit to array-or-envelope endpoints so Sigma answers the envelope', () => {
    assert.deepEqual(buildRequest(stream('arrayOrEnvelope'), { workbookId: 'w' }, undefined, config).params, { limit: 1000 });
  });
});

describe('fillPath', () => {
  test('percent-encodes ids, slashes included', () => {
    assert.equal(fillPath('/v2/x/{id}/y', { id: 'inode-1/COL A' }), '/v2/x/inode-1%2FCOL%20A/y');
  });

  test('throws when a placeholder has no value', () => {
    assert.throws(() => fillPath('/v2/x/{id}', {}), /no value for \{id\}/);
  });
});
