import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withoutDroppedStreams } from '../../../lib/output/withoutDroppedStreams.js';
import { type PlannedStream, flattenPlan } from '../../../lib/tap/streamPlan.js';
import { testPlan } from '../../support/testPlan.js';

const shape = (plan: readonly PlannedStream[]): string[] => flattenPlan(plan).map((s) => `${s.definition.name}${s.selected ? '' : ' (read for its children)'}`);

describe('withoutDroppedStreams', () => {
  const plan = testPlan(['workbooks', 'workbook_pages', 'members', 'teams']);

  test('nothing dropped: the same plan', () => {
    assert.deepEqual(withoutDroppedStreams(plan, new Set()), plan);
  });

  test('a dropped stream without selected descendants is not read at all', () => {
    assert.deepEqual(shape(withoutDroppedStreams(plan, new Set(['members', 'workbook_pages']))), ['teams', 'workbooks']);
  });

  test('a dropped stream with a selected descendant is still read, unselected, for its children', () => {
    const pruned = withoutDroppedStreams(plan, new Set(['workbooks']));
    assert.deepEqual(shape(pruned), ['members', 'teams', 'workbooks (read for its children)', 'workbook_pages']);
    assert.equal(pruned[0], plan[0], 'untouched trees are the same objects');
    assert.equal(plan.find((s) => s.definition.name === 'workbooks')!.selected, true, 'the input plan is not modified');
  });
});
