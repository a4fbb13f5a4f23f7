import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatalogEntry, MetadataEntry } from '../../../lib/singer/catalog.js';
import { isSelected, replicationChoice, selectSchema, withAutomaticProperties } from '../../../lib/singer/selection.js';

const md = (breadcrumb: string[], metadata: Record<string, unknown>): MetadataEntry => ({ breadcrumb, metadata });

describe('isSelected (Meltano SDK rules)', () => {
  test('a stream without metadata is selected', () => {
    assert.equal(isSelected([], []), true);
  });

  test('explicit selected beats selected-by-default', () => {
    assert.equal(isSelected([md([], { 'selected-by-default': true, selected: false })], []), false);
    assert.equal(isSelected([md([], { 'selected-by-default': false, selected: true })], []), true);
  });

  test('automatic fields are selected even when deselected; unsupported never', () => {
    const metadata = [md([], { selected: true }), md(['properties', 'id'], { inclusion: 'automatic', selected: false }), md(['properties', 'x'], { inclusion: 'unsupported', selected: true })];
    assert.equal(isSelected(metadata, ['properties', 'id']), true);
    assert.equal(isSelected(metadata, ['properties', 'x']), false);
  });

  test('a field of a deselected stream is deselected; a field without metadata inherits', () => {
    assert.equal(isSelected([md([], { selected: false }), md(['properties', 'a'], { selected: true })], ['properties', 'a']), false);
    assert.equal(isSelected([md([], { selected: true })], ['properties', 'b']), true);
  });

  test('accepts the legacy string "true"', () => {
    assert.equal(isSelected([md([], { selected: 'true' })], []), true);
  });
});

describe('selectSchema', () => {
  test('removes deselected properties and their required entries', () => {
    const schema = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] };
    const pruned = selectSchema(schema, [md([], { selected: true }), md(['properties', 'name'], { inclusion: 'available', selected: false })]);
    assert.deepEqual(Object.keys(pruned.properties ?? {}), ['id']);
    assert.deepEqual(pruned.required, ['id']);
  });
});

describe('withAutomaticProperties', () => {
  const discovered = { type: 'object', properties: { id: { type: 'string' }, at: { type: 'string', format: 'date-time' }, name: { type: 'string' } } };

  test('puts back keys and the replication key a catalog deselected or left out, from the first schema that has them', () => {
    const pruned = selectSchema(discovered, [md([], { selected: true }), md(['properties', 'id'], { inclusion: 'available', selected: false }), md(['properties', 'name'], { selected: false })]);
    const withKeys = withAutomaticProperties(pruned, ['id', 'at'], [{ properties: {} }, discovered]);
    assert.deepEqual(Object.keys(withKeys.properties ?? {}).sort(), ['at', 'id']);
    assert.deepEqual(withKeys.properties?.['id'], { type: 'string' });
  });

  test('leaves a schema that has them untouched', () => {
    assert.equal(withAutomaticProperties(discovered, ['id'], [discovered]), discovered);
  });
});

describe('replicationChoice', () => {
  const entry = (extra: Partial<CatalogEntry>, root: Record<string, unknown> = {}): CatalogEntry => ({
    tap_stream_id: 's',
    stream: 's',
    schema: {},
    metadata: [md([], root)],
    ...extra,
  });

  test('top-level replication_method wins over root metadata', () => {
    assert.deepEqual(replicationChoice(entry({ replication_method: 'FULL_TABLE' }, { 'replication-method': 'INCREMENTAL' }), 'updatedAt'), { method: 'FULL_TABLE', key: undefined });
  });

  test('root replication-method metadata is honoured (Meltano metadata rules)', () => {
    assert.deepEqual(replicationChoice(entry({}, { 'replication-method': 'FULL_TABLE' }), 'updatedAt'), { method: 'FULL_TABLE', key: undefined });
    assert.deepEqual(replicationChoice(entry({}, { 'replication-method': 'INCREMENTAL', 'replication-key': 'updatedAt' }), 'updatedAt'), { method: 'INCREMENTAL', key: 'updatedAt' });
  });

  test('INCREMENTAL needs a key the stream offers', () => {
    assert.deepEqual(replicationChoice(entry({ replication_method: 'INCREMENTAL', replication_key: 'nope' }), 'updatedAt'), { method: 'FULL_TABLE', key: undefined });
    assert.deepEqual(replicationChoice(entry({ replication_method: 'INCREMENTAL' }), undefined), { method: 'FULL_TABLE', key: undefined });
  });
});
