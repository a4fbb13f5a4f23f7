import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { streams } from '../../pipelines/index.js';

describe('replication rules of the stream table', () => {
  test('every stream says why it is INCREMENTAL or FULL_TABLE, and the reason matches its key', () => {
    for (const stream of streams) {
      assert.ok(stream.replicationReason.length > 20, `${stream.name} has a reason`);
      assert.equal(stream.replicationReason.startsWith('INCREMENTAL'), stream.replicationKey !== undefined, `${stream.name}: ${stream.replicationReason}`);
    }
  });

  test('every child stream says for which parents an incremental run reads it, and why', () => {
    for (const stream of streams) {
      if (stream.parent === undefined) assert.equal(stream.refresh, undefined, `${stream.name} is top-level`);
      else assert.ok(stream.refresh && stream.refresh.reason.length > 10, `${stream.name} has a refresh rule with its reason`);
    }
  });

  test('a child read only for changed parents has no replication key of its own: it is read in full for them', () => {
    for (const stream of streams.filter((s) => s.refresh?.rule === 'with-parent')) assert.equal(stream.replicationKey, undefined, stream.name);
  });

  test('relationship and grant streams are FULL_TABLE and read for every parent', () => {
    for (const name of ['favorites', 'member_files', 'member_favorite_files', 'member_recent_files', 'member_teams', 'team_members', 'tag_workbooks', 'workbook_grants', 'report_grants', 'data_model_grants', 'folder_grants', 'workspace_grants', 'connection_grants', 'dataset_grants']) {
      const stream = streams.find((s) => s.name === name)!;
      assert.equal(stream.replicationKey, undefined, name);
      assert.equal(stream.refresh?.rule, 'every-run', name);
    }
  });
});
