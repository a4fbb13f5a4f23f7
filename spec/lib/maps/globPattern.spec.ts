import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { globPattern, isGlob } from '../../../lib/maps/globPattern.js';

describe('globPattern (fnmatch)', () => {
  test('* ? and sets match as fnmatch does, the whole name, case-sensitively', () => {
    const matches = (pattern: string, names: string[]): string[] => names.filter((name) => globPattern(pattern).test(name));
    const names = ['members', 'member_teams', 'teams', 'workbook_pages', 'Members', 'a.b'];
    assert.deepEqual(matches('*', names), names);
    assert.deepEqual(matches('*s', names), ['members', 'member_teams', 'teams', 'workbook_pages', 'Members']);
    assert.deepEqual(matches('member?', names), ['members']);
    assert.deepEqual(matches('[mt]*s', names), ['members', 'member_teams', 'teams']);
    assert.deepEqual(matches('[!mt]*', names), ['workbook_pages', 'Members', 'a.b']);
    assert.deepEqual(matches('a.b', ['a.b', 'axb']), ['a.b']);
  });

  test('tells globs from names', () => {
    assert.equal(isGlob('members'), false);
    assert.equal(isGlob('*_files'), true);
  });
});
