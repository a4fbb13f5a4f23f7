import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { parseCatalog } from '../../../lib/singer/parseCatalog.js';
import { catalogEntryOf } from '../../../lib/tap/streamPlan.js';
import { streams } from '../../../pipelines/index.js';

const entry = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ tap_stream_id: 'workbooks', stream: 'workbooks', schema: { type: 'object' }, metadata: [], ...extra });

const rejects = (catalog: Record<string, unknown>, message: string): void => {
  assert.throws(() => parseCatalog(catalog, 'c.json'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, message);
    return true;
  });
};

describe('parseCatalog', () => {
  test('accepts the catalog --discover prints, unchanged', () => {
    const discovered = JSON.parse(JSON.stringify({ streams: streams.map(catalogEntryOf) })) as Record<string, unknown>;
    assert.deepEqual(parseCatalog(discovered, 'c.json'), discovered);
  });

  test('fills tap_stream_id from stream and the reverse, metadata with [], and keeps other keys', () => {
    const parsed = parseCatalog({ streams: [{ stream: 'members', table_name: 't' }, { tap_stream_id: 'teams', schema: {} }] }, 'c.json');
    assert.deepEqual(parsed.streams, [
      { stream: 'members', tap_stream_id: 'members', table_name: 't', metadata: [] },
      { tap_stream_id: 'teams', stream: 'teams', schema: {}, metadata: [] },
    ]);
  });

  test('accepts selection flags as booleans and the legacy strings "true"/"false", and null replication fields', () => {
    const metadata = [
      { breadcrumb: [], metadata: { selected: 'true', 'selected-by-default': false, inclusion: 'available', 'replication-method': 'INCREMENTAL', 'replication-key': null, 'table-key-properties': ['id'] } },
      { breadcrumb: ['properties', 'name'], metadata: { selected: false, inclusion: 'automatic' } },
    ];
    assert.ok(parseCatalog({ streams: [entry({ metadata, replication_key: null, replication_method: null, key_properties: [] })] }, 'c.json'));
  });

  test('the root needs a streams array of objects', () => {
    rejects({}, 'catalog file c.json: streams must be an array of streams, got nothing');
    rejects({ streams: {} }, 'catalog file c.json: streams must be an array of streams, got an object');
    rejects({ streams: [entry(), 'workbooks'] }, "catalog file c.json: streams[1] must be an object, got 'workbooks'");
    rejects({ streams: [null] }, 'catalog file c.json: streams[0] must be an object, got null');
  });

  test('a stream needs a non-empty string tap_stream_id or stream', () => {
    rejects({ streams: [{ schema: {} }] }, 'catalog file c.json: streams[0] has neither a tap_stream_id nor a stream name');
    rejects({ streams: [{ tap_stream_id: 7 }] }, 'catalog file c.json: streams[0].tap_stream_id must be a non-empty string, got a number');
    rejects({ streams: [{ tap_stream_id: 'w', stream: '' }] }, "catalog file c.json: streams[0].stream must be a non-empty string, got ''");
  });

  test('the schema, when present, is an object whose properties are schemas and required a list of names', () => {
    rejects({ streams: [entry({ schema: [] })] }, "catalog file c.json, stream 'workbooks': streams[0].schema must be an object (a JSON Schema), got an array");
    rejects({ streams: [entry({ schema: { properties: [] } })] }, "catalog file c.json, stream 'workbooks': streams[0].schema.properties must be an object, got an array");
    rejects(
      { streams: [entry({ schema: { properties: { owner: { properties: { id: null } } } } })] },
      "catalog file c.json, stream 'workbooks': streams[0].schema.properties.owner.properties.id must be an object (a JSON Schema), got null",
    );
    rejects({ streams: [entry({ schema: { required: 'id' } })] }, "catalog file c.json, stream 'workbooks': streams[0].schema.required must be an array of strings, got 'id'");
  });

  test('metadata is an array of {breadcrumb: string[], metadata: {}}', () => {
    const at = "catalog file c.json, stream 'workbooks': streams[0]";
    rejects({ streams: [entry({ metadata: {} })] }, `${at}.metadata must be an array, got an object`);
    rejects({ streams: [entry({ metadata: [7] })] }, `${at}.metadata[0] must be an object with breadcrumb and metadata, got a number`);
    rejects({ streams: [entry({ metadata: [{ metadata: {} }] })] }, `${at}.metadata[0].breadcrumb must be an array of strings, got nothing`);
    rejects({ streams: [entry({ metadata: [{ breadcrumb: ['properties', 1], metadata: {} }] })] }, `${at}.metadata[0].breadcrumb must be an array of strings, got an array`);
    rejects({ streams: [entry({ metadata: [{ breadcrumb: [] }] })] }, `${at}.metadata[0].metadata must be an object, got nothing`);
  });

  test('selection and replication keywords have the types selection reads', () => {
    const at = "catalog file c.json, stream 'workbooks': streams[0].metadata[1].metadata";
    const withRoot = (metadata: Record<string, unknown>) => ({ streams: [entry({ metadata: [{ breadcrumb: [], metadata: {} }, { breadcrumb: [], metadata }] })] });
    rejects(withRoot({ selected: 'yes' }), `${at}.selected must be true or false, got 'yes'`);
    rejects(withRoot({ selected: 1 }), `${at}.selected must be true or false, got a number`);
    rejects(withRoot({ 'selected-by-default': 'true' }), `${at}.selected-by-default must be true or false, got 'true'`);
    rejects(withRoot({ inclusion: 'sometimes' }), `${at}.inclusion must be available, automatic or unsupported, got 'sometimes'`);
    rejects(withRoot({ 'replication-key': 5 }), `${at}.replication-key must be a string or null, got a number`);
    rejects(withRoot({ 'replication-method': [] }), `${at}.replication-method must be a string or null, got an array`);
    rejects(withRoot({ 'forced-replication-method': {} }), `${at}.forced-replication-method must be a string or null, got an object`);
  });

  test('key_properties, replication_key and replication_method have their types', () => {
    const at = "catalog file c.json, stream 'workbooks': streams[0]";
    rejects({ streams: [entry({ key_properties: 'id' })] }, `${at}.key_properties must be an array of strings, got 'id'`);
    rejects({ streams: [entry({ key_properties: [1] })] }, `${at}.key_properties must be an array of strings, got an array`);
    rejects({ streams: [entry({ replication_key: 3 })] }, `${at}.replication_key must be a string or null, got a number`);
    rejects({ streams: [entry({ replication_method: false })] }, `${at}.replication_method must be a string or null, got a boolean`);
  });

  test('a stream name that could break the line is escaped', () => {
    rejects({ streams: [{ tap_stream_id: 'a\nb', metadata: 1 }] }, "catalog file c.json, stream 'a\\nb': streams[0].metadata must be an array, got a number");
  });
});
