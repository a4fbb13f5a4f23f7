import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ENV_PREFIX } from '../lib/config/settings.js';
import { parseYamlSubset } from './support/parseYamlSubset.js';
import { BIN } from './support/runCli.js';

interface MeltanoSetting {
  name: string;
  label?: string;
  kind?: string;
  sensitive?: boolean;
  description?: string;
  value?: unknown;
  options?: Array<{ label: string; value: unknown }>;
}

interface AboutProperty {
  type: string[];
  description: string;
  format?: string;
  enum?: string[];
  default?: unknown;
  secret?: boolean;
}

interface About {
  name: string;
  description: string;
  capabilities: string[];
  settings: { properties: Record<string, AboutProperty>; required: string[] };
}

const project = parseYamlSubset(readFileSync(new URL('../../meltano.yml', import.meta.url), 'utf8')) as {
  plugins: { extractors: Array<Record<string, unknown>> };
};
const extractor = project.plugins.extractors.find((e) => e['name'] === 'tap-sigma')!;
const settings = extractor['settings'] as MeltanoSetting[];

/** `tap-sigma --about --format json`, run as users run it. */
function about(): About {
  const run = spawnSync(process.execPath, [BIN, '--about', '--format', 'json'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as About;
}

/** The Meltano setting kind a JSON Schema property of `--about` calls for. */
function expectedKind(property: AboutProperty): string {
  if (property.enum) return 'options';
  if (property.format === 'date-time') return 'date_iso8601';
  const type = property.type.find((t) => t !== 'null')!;
  return type === 'number' ? 'integer' : type;
}

describe('meltano.yml', () => {
  const info = about();
  const properties = info.settings.properties;

  test('declares the tap-sigma extractor: namespace, npm-installed executable, the name and description of --about', () => {
    assert.ok(extractor, 'a plugins.extractors entry named tap-sigma');
    assert.equal(extractor['name'], info.name);
    assert.equal(extractor['namespace'], 'tap_sigma');
    assert.equal(extractor['executable'], 'tap-sigma');
    assert.equal(extractor['pip_url'], undefined, 'installed with npm, not pip');
    assert.equal(extractor['description'], info.description);
    // Meltano passes settings to the plugin as <PLUGIN_NAME>_<SETTING>, which --config ENV reads.
    assert.equal(`${String(extractor['name']).toUpperCase().replaceAll('-', '_')}_`, ENV_PREFIX);
  });

  test('lists the same settings as --about --format json, in the same order', () => {
    assert.deepEqual(settings.map((s) => s.name), Object.keys(properties));
  });

  test('gives each setting the kind its JSON Schema type calls for', () => {
    for (const setting of settings) assert.equal(setting.kind, expectedKind(properties[setting.name]!), setting.name);
  });

  test('marks exactly the secret settings sensitive', () => {
    const sensitive = settings.filter((s) => s.sensitive === true).map((s) => s.name);
    const secret = Object.entries(properties).filter(([, p]) => p.secret === true).map(([name]) => name);
    assert.deepEqual(sensitive, secret);
    assert.ok(secret.includes('client_secret'));
    assert.ok(settings.every((s) => s.sensitive === undefined || s.sensitive === true));
  });

  test('has the defaults, descriptions and options of --about', () => {
    for (const setting of settings) {
      const property = properties[setting.name]!;
      assert.deepEqual(setting.value, property.default, `${setting.name} default`);
      assert.equal(setting.description, property.description, `${setting.name} description`);
      assert.deepEqual(setting.options?.map((o) => o.value), property.enum, `${setting.name} options`);
      assert.equal(typeof setting.label, 'string', `${setting.name} label`);
    }
  });

  test('declares the capabilities of --about and requires the settings it requires', () => {
    assert.deepEqual(extractor['capabilities'], info.capabilities);
    assert.deepEqual((extractor['settings_group_validation'] as string[][]).map((group) => [...group].sort()), [[...info.settings.required].sort()]);
  });
});

describe('parseYamlSubset (the spec\'s reader of meltano.yml)', () => {
  test('reads nested mappings, sequences at their key\'s indent, scalars and comments', () => {
    const yaml = [
      '# top comment',
      'a: 1',
      'b:',
      '- name: x  # trailing comment',
      '  flag: true',
      '  list: [p, "q r", 3]',
      '- plain # c',
      'c:',
      '  d: "quoted: # not a comment"',
      "  e: 'it''s'",
      '  f: []',
      '  g: off',
    ].join('\n');
    assert.deepEqual(parseYamlSubset(yaml), {
      a: 1,
      b: [{ name: 'x', flag: true, list: ['p', 'q r', 3] }, 'plain'],
      c: { d: 'quoted: # not a comment', e: "it's", f: [], g: 'off' },
    });
  });

  test('refuses what it does not understand instead of misreading it', () => {
    assert.throws(() => parseYamlSubset('a: |\n  text'), /unsupported/);
    assert.throws(() => parseYamlSubset('a: &anchor 1'), /unsupported/);
    assert.throws(() => parseYamlSubset('a: {b: 1}'), /unsupported/);
    assert.throws(() => parseYamlSubset('a: 1\na: 2'), /duplicate/);
    assert.throws(() => parseYamlSubset('a:\n\tb: 1'), /tabs/);
  });
});
