import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SETTINGS, envName } from '../lib/config/settings.js';
import { streams } from '../pipelines/index.js';
import { streamTableRows } from '../scripts/streamTableRows.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  test('starts with the two commands', () => {
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5));
    assert.match(firstBlock, /npm ci && npm start/);
    assert.match(firstBlock, /npm test/);
  });

  test('lists every stream exactly as the definitions say (regenerate with scripts/stream-table)', () => {
    const table = readme.slice(readme.indexOf('<!-- stream-table:start'), readme.indexOf('<!-- stream-table:end'));
    const rows = table.split('\n').filter((line) => line.startsWith('|'));
    assert.deepEqual(rows, streamTableRows(streams));
  });

  test('documents every setting with its environment variable', () => {
    for (const setting of SETTINGS) {
      assert.ok(readme.includes(`| \`${setting.name}\` |`), `setting ${setting.name}`);
      assert.ok(readme.includes(envName(setting)), `env ${envName(setting)}`);
    }
  });
});
