import { InputError } from '../errors.js';
import { SETTINGS, type SettingDefinition } from './settings.js';
import type { TapConfig } from './tapConfig.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Checks a merged raw config against SETTINGS and fills defaults.
 * Errors name the setting at fault and never repeat a secret's value.
 */
export function validateConfig(raw: Readonly<Record<string, unknown>>): TapConfig {
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const value = raw[setting.name];
    if (value === undefined || value === null || value === '') {
      if (setting.required) throw new InputError(`config: missing required setting '${setting.name}'`);
      if (setting.default !== undefined) config[setting.name] = setting.default;
      continue;
    }
    config[setting.name] = checkValue(setting, value);
  }
  checkApiUrl(config['api_url'] as string);
  return config as unknown as TapConfig;
}

function checkValue(setting: SettingDefinition, value: unknown): unknown {
  const fail = (expected: string): never => {
    const shown = setting.secret ? '' : `, got ${JSON.stringify(value)}`;
    throw new InputError(`config: setting '${setting.name}' must be ${expected}${shown}`);
  };
  switch (setting.type) {
    case 'string':
      if (typeof value !== 'string') fail('a string');
      if (setting.enum && !setting.enum.includes(value as string)) fail(`one of ${setting.enum.join(', ')}`);
      return value;
    case 'date-time':
      if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) fail('an RFC 3339 date-time such as 2024-01-01T00:00:00Z');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
      const n = value as number;
      if (setting.minimum !== undefined && n < setting.minimum) fail(`at least ${setting.minimum}`);
      if (setting.maximum !== undefined && n > setting.maximum) fail(`at most ${setting.maximum}`);
      return n;
    }
    case 'array':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail('an array of strings');
      return value;
  }
}

function checkApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new InputError(`config: setting 'api_url' must be an absolute URL, got ${JSON.stringify(apiUrl)}`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return;
  throw new InputError(`config: setting 'api_url' must use https:// (http:// is allowed only for loopback addresses), got ${JSON.stringify(apiUrl)}`);
}
