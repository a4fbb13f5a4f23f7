import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseState } from '../../../lib/singer/parseState.js';
import { RESUME_KEY, StateTracker } from '../../../lib/singer/stateTracker.js';

const SIGNPOST = '2026-01-01T00:00:00.000Z';

describe('StateTracker', () => {
  test('advances the bookmark to the highest instant seen, compared as instants not strings', () => {
    const state = new StateTracker({}, SIGNPOST);
    state.observe('s', 'updatedAt', '2024-05-01T10:00:00.000Z');
    state.observe('s', 'updatedAt', '2024-05-01T12:00:00+02:00'); // 10:00Z: equal instant, not larger
    state.observe('s', 'updatedAt', '2024-05-01T09:30:00.000-01:00'); // 10:30Z: the max
    state.complete('s');
    assert.deepEqual(state.value(), { bookmarks: { s: { replication_key: 'updatedAt', replication_key_value: '2024-05-01T09:30:00.000-01:00' } } });
  });

  test("the input's other keys are kept as they are, never copied; the fingerprint changes exactly when the state does", () => {
    const other = { big: ['a', 'b'] };
    const input = { other, bookmarks: { s: { replication_key: 'updatedAt', replication_key_value: '2024-01-01T00:00:00.000Z' } } };
    const state = new StateTracker(input, SIGNPOST);
    const before = state.fingerprint;
    state.observe('s', 'updatedAt', '2024-06-01T00:00:00.000Z');
    const observing = state.fingerprint;
    assert.notEqual(observing, before);
    assert.equal(state.value()['other'], other, 'shared, not cloned');
    state.complete('s');
    assert.notEqual(state.fingerprint, observing);
    assert.equal(input.bookmarks.s.replication_key_value, '2024-01-01T00:00:00.000Z', 'the input is not changed');
    // Measured without serializing the other keys again: within a few bytes of the real thing.
    assert.ok(Math.abs(state.approximateBytes - JSON.stringify(state.value()).length) < 32);
  });

  test('a state without bookmarks comes back as it came in', () => {
    assert.deepEqual(new StateTracker({ other: 1 }, SIGNPOST).value(), { other: 1 });
  });

  test('caps the bookmark at the signpost', () => {
    const state = new StateTracker({}, SIGNPOST);
    state.observe('s', 'updatedAt', '2027-01-01T00:00:00.000Z');
    state.complete('s');
    assert.equal((state.value()['bookmarks'] as Record<string, Record<string, unknown>>)['s']!['replication_key_value'], SIGNPOST);
  });

  test('never moves a bookmark backwards', () => {
    const state = new StateTracker({ bookmarks: { s: { replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00.000Z' } } }, SIGNPOST);
    state.observe('s', 'updatedAt', '2024-01-01T00:00:00.000Z');
    state.complete('s');
    assert.equal((state.value()['bookmarks'] as Record<string, Record<string, unknown>>)['s']!['replication_key_value'], '2025-01-01T00:00:00.000Z');
  });

  test('starts from the later of bookmark and start_date; ignores a bookmark of another key', () => {
    const state = new StateTracker({ bookmarks: { s: { replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00Z' }, t: { replication_key: 'createdAt', replication_key_value: '2025-01-01T00:00:00Z' } } }, SIGNPOST);
    assert.equal(state.startingInstant('s', 'updatedAt', '2024-01-01T00:00:00Z'), Date.parse('2025-01-01T00:00:00Z'));
    assert.equal(state.startingInstant('s', 'updatedAt', '2025-06-01T00:00:00Z'), Date.parse('2025-06-01T00:00:00Z'));
    assert.equal(state.startingInstant('t', 'updatedAt', undefined), undefined);
  });

  test('drops SDK partitions that hold no value (full-table children)', () => {
    const state = new StateTracker({ bookmarks: { pages: { partitions: [{ context: { workbookId: 'a' } }] }, wb: { replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00Z' } } }, SIGNPOST);
    assert.deepEqual(state.value(), { bookmarks: { wb: { replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00Z' } } });
  });

  test('loads Meltano SDK state with partitions and keeps unknown top-level keys', () => {
    const sdk = {
      currently_syncing: 'workbooks',
      bookmarks: {
        workbook_pages: { partitions: [{ context: { workbookId: 'a' }, replication_key: 'updatedAt', replication_key_value: '2025-03-01T00:00:00+00:00' }, { context: { workbookId: 'b' }, replication_key: 'updatedAt', replication_key_value: '2025-01-01T00:00:00+00:00' }] },
      },
    };
    const state = new StateTracker(parseState(sdk, 'state.json'), SIGNPOST);
    assert.equal(state.startingInstant('workbook_pages', 'updatedAt', undefined), Date.parse('2025-01-01T00:00:00Z'));
    state.observe('workbook_pages', 'updatedAt', '2025-04-01T00:00:00.000Z');
    state.complete('workbook_pages');
    assert.deepEqual(state.value(), { currently_syncing: 'workbooks', bookmarks: { workbook_pages: { replication_key: 'updatedAt', replication_key_value: '2025-04-01T00:00:00.000Z' } } });
  });

  test('shows progress markers for a stream still running, without committing them', () => {
    const state = new StateTracker({}, SIGNPOST);
    state.observe('s', 'updatedAt', '2024-01-01T00:00:00.000Z');
    const bookmark = (state.value()['bookmarks'] as Record<string, Record<string, unknown>>)['s']!;
    assert.deepEqual(Object.keys(bookmark), ['progress_markers']);
    assert.equal(state.hasContent, true);
  });

  test('carries the finished top-level streams while unfinished, and drops them once the run finishes', () => {
    const state = new StateTracker({ [RESUME_KEY]: { completed: ['members'] } }, SIGNPOST);
    assert.equal(state.alreadyCompleted('members'), true);
    assert.equal(state.alreadyCompleted('workbooks'), false);
    state.completeRoot('teams');
    assert.deepEqual(state.value()[RESUME_KEY], { completed: ['members', 'teams'] });
    state.finish();
    assert.equal(state.value()[RESUME_KEY], undefined);
    assert.equal(state.hasContent, false);
  });
});
