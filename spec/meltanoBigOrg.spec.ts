import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SETTINGS } from '../lib/config/settings.js';
import { validateConfig } from '../lib/config/validateConfig.js';
import { streams } from '../pipelines/index.js';
import { readBigOrgExample } from './support/bigOrgExample.js';
import { parseSelectPattern, selectedStreams } from './support/meltanoSelect.js';
import { parseYamlSubset } from './support/parseYamlSubset.js';

const project = parseYamlSubset(readFileSync(new URL('../../meltano.yml', import.meta.url), 'utf8')) as {
  default_environment: string;
  include_paths?: string[];
  plugins: { extractors: Array<{ name: string }>; loaders: Array<{ name: string }> };
};
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = readBigOrgExample();
const names = streams.map((s) => s.name);
const groupOf = new Map(example.groups.flatMap((g) => g.streams.map((name) => [name, g.extractor] as const)));

const CREDENTIALS = { api_url: 'https://aws-api.sigmacomputing.com', client_id: 'id', client_secret: 'secret' };
/** Meltano's schedule intervals: a preset or a five-field cron expression. */
const INTERVAL = /^(@(once|hourly|daily|weekly|monthly|yearly)|([\d*,/-]+ ){4}[\d*,/-]+)$/;

describe('meltano-big-org.yml: one extraction split into jobs by stream group', () => {
  test('is included by meltano.yml', () => {
    assert.deepEqual(project.include_paths, ['./meltano-big-org.yml']);
  });

  test('declares extractors that inherit tap-sigma and only narrow select (and settings tap-sigma has)', () => {
    const base = project.plugins.extractors.find((e) => e.name === 'tap-sigma');
    assert.ok(base, 'meltano.yml declares tap-sigma');
    assert.ok(example.extractors.length >= 2);
    assert.equal(new Set(example.extractors.map((e) => e.name)).size, example.extractors.length, 'unique names');
    const settingNames = new Set(SETTINGS.map((s) => s.name));
    for (const extractor of example.extractors) {
      assert.equal(extractor.inherit_from, 'tap-sigma', extractor.name);
      assert.ok((extractor.select?.length ?? 0) > 0, `${extractor.name} has a select list`);
      assert.deepEqual(Object.keys(extractor).filter((k) => !['name', 'inherit_from', 'select', 'config'].includes(k)), [], `${extractor.name} inherits everything else`);
      for (const key of Object.keys(extractor.config ?? {})) assert.ok(settingNames.has(key), `${extractor.name}: ${key} is a tap-sigma setting`);
      assert.doesNotThrow(() => validateConfig({ ...CREDENTIALS, ...extractor.config }), `${extractor.name}: its config is valid`);
    }
  });

  test('every select pattern names at least one stream of the tap', () => {
    for (const extractor of example.extractors) {
      for (const raw of extractor.select ?? []) {
        const pattern = parseSelectPattern(raw);
        assert.ok(names.some((name) => pattern.stream.test(name)), `${extractor.name}: ${raw} matches a stream`);
        assert.ok(pattern.wholeStream, `${extractor.name}: ${raw} selects whole streams`);
      }
    }
  });

  test('the groups are disjoint, non-empty and together cover every stream', () => {
    for (const group of example.groups) assert.ok(group.streams.length > 0, `${group.extractor} selects something`);
    const all = example.groups.flatMap((g) => g.streams);
    const twice = all.filter((name, i) => all.indexOf(name) !== i);
    assert.deepEqual(twice, [], 'no stream in two groups');
    assert.deepEqual([...all].sort(), [...names].sort(), 'every stream in a group');
  });

  test('keeps each child stream in its parent\'s group, so no parent is listed by two jobs', () => {
    for (const stream of streams) {
      if (stream.parent) assert.equal(groupOf.get(stream.name), groupOf.get(stream.parent), `${stream.name} with ${stream.parent}`);
    }
  });

  test('gives each group one job of its own, hence a state ID of its own', () => {
    const loaders = new Set(project.plugins.loaders.map((l) => l.name));
    const tasks = example.jobs.flatMap((job) => job.tasks.map((task) => task.split(/\s+/)));
    for (const [extractor, loader, ...rest] of tasks) {
      assert.deepEqual(rest, [], 'a task is "<extractor> <loader>"');
      assert.ok(example.extractors.some((e) => e.name === extractor), `${extractor} is a group`);
      assert.ok(loaders.has(loader!), `${loader} is a loader of meltano.yml`);
    }
    assert.deepEqual(tasks.map(([extractor]) => extractor).sort(), example.extractors.map((e) => e.name).sort(), 'each group in exactly one task');
    // meltano run keys state by `<environment>:<extractor>-to-<loader>`.
    const stateIds = tasks.map(([extractor, loader]) => `${project.default_environment}:${extractor}-to-${loader}`);
    assert.equal(new Set([...stateIds, `${project.default_environment}:tap-sigma-to-target-jsonl`]).size, stateIds.length + 1);
  });

  test('schedules every job once, with an interval Meltano accepts', () => {
    assert.deepEqual(example.schedules.map((s) => s.job).sort(), example.jobs.map((j) => j.name).sort());
    for (const schedule of example.schedules) assert.match(schedule.interval, INTERVAL, schedule.name);
  });

  test('the README\'s orchestrator example runs each job, one `meltano run` per task', () => {
    const section = readme.slice(readme.indexOf('## Big organizations'), readme.indexOf('\n## ', readme.indexOf('## Big organizations') + 5));
    assert.ok(section.length > 0, 'README has a "Big organizations" section');
    for (const job of example.jobs) assert.match(section, new RegExp(`meltano run ${job.name}\\b`), job.name);
  });
});

describe('selectedStreams (Meltano\'s select rules)', () => {
  const table = ['workbooks', 'workbook_pages', 'tag_workbooks', 'members', 'member_teams'];

  test('stream globs match whole names, as fnmatch does', () => {
    assert.deepEqual(selectedStreams(['workbook*.*'], table), ['workbooks', 'workbook_pages']);
    assert.deepEqual(selectedStreams(['member?.*', '[t]*.*'], table), ['tag_workbooks', 'members']);
    assert.deepEqual(selectedStreams(['[!mt]*.*'], table), ['workbooks', 'workbook_pages']);
  });

  test('applies includes, then whole-stream exclusions; a property exclusion keeps the stream', () => {
    assert.deepEqual(selectedStreams(['*.*', '!workbook*.*', '!members'], table), ['tag_workbooks', 'member_teams']);
    assert.deepEqual(selectedStreams(['members.*', '!members.email'], table), ['members']);
    assert.deepEqual(selectedStreams(['members.email'], table), ['members']);
    assert.deepEqual(selectedStreams(['!members.*'], table), []);
  });
});
