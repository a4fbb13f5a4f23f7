import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { TapConfig } from '../../../lib/config/tapConfig.js';
import { InputError } from '../../../lib/errors.js';
import type { StreamShape } from '../../../lib/maps/mappedStream.js';
import { compileStreamOutputs, unmappedOutputs } from '../../../lib/output/streamOutputs.js';
import type { RecordBatch } from '../../../lib/singer/messages.js';
import { OFFLINE_CONFIG } from '../../support/testPlan.js';

const members: StreamShape = {
  name: 'members',
  schema: { type: 'object', properties: { memberId: { type: 'string' }, email: { type: 'string' }, userKind: { type: 'string' }, updatedAt: { type: 'string', format: 'date-time' } }, required: ['memberId'] },
  keyProperties: ['memberId'],
  replicationKey: 'updatedAt',
};
const teams: StreamShape = { name: 'teams', schema: { type: 'object', properties: { teamId: { type: 'string' } } }, keyProperties: ['teamId'] };
const NAMES = ['members', 'teams', 'workbooks'];
const configWith = (settings: Record<string, unknown>): TapConfig => ({ ...OFFLINE_CONFIG, ...settings }) as TapConfig;
const batch: RecordBatch = {
  stream: 'members',
  records: [
    { memberId: 'm1', email: 'ann@corp.example', userKind: 'internal', updatedAt: '2024-01-01T00:00:00Z' },
    { memberId: 'm2', email: 'bob@guest.example', userKind: 'guest', updatedAt: '2024-01-02T00:00:00Z' },
  ],
  timeExtracted: '2024-06-01T00:00:00.000Z',
};

describe('compileStreamOutputs', () => {
  test('without stream maps or flattening: the streams’ own SCHEMAs and no work per batch', () => {
    const outputs = compileStreamOutputs([members, teams], OFFLINE_CONFIG, NAMES);
    assert.equal(outputs.mapBatch, undefined);
    assert.deepEqual(outputs.schemas, unmappedOutputs([members, teams]).schemas);
    assert.deepEqual(outputs.schemas[0], { type: 'SCHEMA', stream: 'members', schema: members.schema, key_properties: ['memberId'], bookmark_properties: ['updatedAt'] });
    assert.deepEqual(outputs.outputNamesOf('members'), ['members']);
    assert.equal(outputs.dropped.size, 0);
  });

  test('one batch becomes a batch per output that keeps records: alias, filtered copy, hashed email', () => {
    const outputs = compileStreamOutputs(
      [members, teams],
      configWith({
        stream_maps: {
          members: { __alias__: 'people', email: null, email_hash: 'sha256(email)' },
          guests: { __source__: 'members', __filter__: "userKind == 'guest'", memberId: 'memberId', __else__: null },
          internal_only: { __source__: 'members', __filter__: "userKind == 'nobody'" },
        },
      }),
      NAMES,
    );
    assert.deepEqual(outputs.outputNamesOf('members'), ['people', 'guests', 'internal_only']);
    assert.deepEqual(
      outputs.schemas.map((s) => s.stream),
      ['people', 'guests', 'internal_only', 'teams'],
    );
    const mapped = outputs.mapBatch!(batch);
    assert.deepEqual(
      mapped.map((b) => [b.stream, b.records.map((r) => r['memberId']), b.timeExtracted]),
      [
        ['people', ['m1', 'm2'], batch.timeExtracted],
        ['guests', ['m2'], batch.timeExtracted],
      ],
      'a copy whose filter keeps nothing of the batch emits no batch',
    );
    assert.deepEqual(mapped[0]!.records[0], { memberId: 'm1', userKind: 'internal', updatedAt: '2024-01-01T00:00:00Z', email_hash: createHash('sha256').update('ann@corp.example').digest('hex') });
    assert.equal(batch.records[0]!['email'], 'ann@corp.example', 'the input records are not modified');
    assert.deepEqual(outputs.mapBatch!({ ...batch, stream: 'teams', records: [{ teamId: 't1' }] })[0]!.records, [{ teamId: 't1' }]);
  });

  test('"__else__": null drops the streams no key maps; key_properties is [] when a map removes the keys', () => {
    const outputs = compileStreamOutputs([members, teams], configWith({ stream_maps: { members: { __key_properties__: null }, __else__: null } }), NAMES);
    assert.deepEqual([...outputs.dropped], ['teams']);
    assert.deepEqual(outputs.outputNamesOf('teams'), []);
    assert.deepEqual(outputs.schemas.map((s) => [s.stream, s.key_properties]), [['members', []]]);
  });

  test('flattening alone maps every stream', () => {
    const nested: StreamShape = { name: 'teams', schema: { type: 'object', properties: { teamId: { type: 'string' }, owner: { type: 'object', properties: { id: { type: 'string' } } } } }, keyProperties: ['teamId'] };
    const outputs = compileStreamOutputs([nested], configWith({ flattening_enabled: true, flattening_max_depth: 1 }), NAMES);
    assert.deepEqual(Object.keys(outputs.schemas[0]!.schema.properties!), ['teamId', 'owner__id']);
    assert.deepEqual(outputs.mapBatch!({ ...batch, stream: 'teams', records: [{ teamId: 't1', owner: { id: 'm1' } }] })[0]!.records, [{ teamId: 't1', owner__id: 'm1' }]);
  });

  test('mistakes are one line: a stream the tap does not have, a stream_map_config that is not an object even without maps', () => {
    assert.throws(() => compileStreamOutputs([members], configWith({ stream_maps: { member: { email: null } } }), NAMES), (error: unknown) => error instanceof InputError && error.message === "config: stream_maps.member: tap-sigma has no stream named 'member'");
    assert.throws(() => compileStreamOutputs([members], configWith({ stream_map_config: ['seed'] }), NAMES), (error: unknown) => error instanceof InputError && error.message === "config: setting 'stream_map_config' must be an object");
  });
});
