import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { parseState } from '../../../lib/singer/parseState.js';
import { RESUME_KEY } from '../../../lib/singer/stateTracker.js';

const rejects = (state: Record<string, unknown>, message: string): void => {
  assert.throws(() => parseState(state, 's.json'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, message);
    return true;
  });
};

describe('parseState', () => {
  test('returns a valid state as it is, unknown top-level keys included', () => {
    const state = {
      currently_syncing: 'workbooks',
      custom: [1, 'x'],
      [RESUME_KEY]: { completed: ['members'] },
      bookmarks: {
        workbooks: { replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00Z', progress_markers: { Note: 'n' }, replication_key_signpost: 'x' },
        numeric: { replication_key: 'id', replication_key_value: 42 },
        empty: { replication_key_value: null },
        workbook_pages: { partitions: [{ context: { workbookId: 'a' }, replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00Z' }, { context: { workbookId: 'b' } }] },
      },
    };
    assert.equal(parseState(state, 's.json'), state);
    assert.deepEqual(parseState({}, 's.json'), {});
  });

  test('bookmarks is an object of objects', () => {
    rejects({ bookmarks: 'x' }, "state file s.json: bookmarks must be an object of bookmarks by stream, got 'x'");
    rejects({ bookmarks: [] }, 'state file s.json: bookmarks must be an object of bookmarks by stream, got an array');
    rejects({ bookmarks: { s: 3 } }, 'state file s.json: bookmarks.s must be an object, got a number');
    rejects({ bookmarks: { 'my stream': null } }, 'state file s.json: bookmarks["my stream"] must be an object, got null');
  });

  test('a bookmark has a string replication_key, a string, number or null value and object progress_markers', () => {
    rejects({ bookmarks: { s: { replication_key: 5 } } }, 'state file s.json: bookmarks.s.replication_key must be a string, got a number');
    rejects({ bookmarks: { s: { replication_key_value: {} } } }, 'state file s.json: bookmarks.s.replication_key_value must be a string, a number or null, got an object');
    rejects({ bookmarks: { s: { replication_key_value: true } } }, 'state file s.json: bookmarks.s.replication_key_value must be a string, a number or null, got a boolean');
    rejects({ bookmarks: { s: { progress_markers: 'n' } } }, "state file s.json: bookmarks.s.progress_markers must be an object, got 'n'");
  });

  test('partitions is an array of bookmarks with an object context', () => {
    rejects({ bookmarks: { s: { partitions: {} } } }, 'state file s.json: bookmarks.s.partitions must be an array, got an object');
    rejects({ bookmarks: { s: { partitions: [{}, 'p'] } } }, "state file s.json: bookmarks.s.partitions[1] must be an object, got 'p'");
    rejects({ bookmarks: { s: { partitions: [{ context: [] }] } } }, 'state file s.json: bookmarks.s.partitions[0].context must be an object, got an array');
    rejects({ bookmarks: { s: { partitions: [{ replication_key_value: [] }] } } }, 'state file s.json: bookmarks.s.partitions[0].replication_key_value must be a string, a number or null, got an array');
  });

  test('the resume marker lists completed stream names', () => {
    rejects({ [RESUME_KEY]: true }, `state file s.json: ${RESUME_KEY} must be an object, got a boolean`);
    rejects({ [RESUME_KEY]: { completed: ['a', 1] } }, `state file s.json: ${RESUME_KEY}.completed must be an array of stream names, got an array`);
  });
});
