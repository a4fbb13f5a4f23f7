import { InputError } from '../errors.js';
import { normalizeApiUrl } from './normalizeApiUrl.js';
import { normalizeInstant } from './normalizeInstant.js';
import { SETTINGS, type SettingDefinition } from './settings.js';
import type { TapConfig } from './tapConfig.js';

/**
 * Checks a merged raw config against SETTINGS, fills defaults and normalizes `api_url` (no trailing
 * slash) and `start_date` (a strict RFC 3339 instant). Only own keys are read: a value inherited through
 * a prototype is not a setting. Errors name the setting at fault and never repeat a secret's value.
 */
export function validateConfig(raw: Readonly<Record<string, unknown>>): TapConfig {
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const value = Object.hasOwn(raw, setting.name) ? raw[setting.name] : undefined;
    if (value === undefined || value === null || value === '') {
      if (setting.required) throw new InputError(`config: missing required setting '${setting.name}'`);
      if (setting.default !== undefined) config[setting.name] = setting.parse ? setting.parse(setting.default) : setting.default;
      continue;
    }
    config[setting.name] = checkValue(setting, value);
  }
  config['api_url'] = normalizeApiUrl(config['api_url'] as string);
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
    case 'date-time': {
      const result = normalizeInstant(typeof value === 'string' ? value : '');
      return 'instant' in result ? result.instant : fail(`an RFC 3339 date-time or a date (${result.problem})`);
    }
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
      if (setting.parse) return setting.parse(value);
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail('an array of strings');
      return value;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) fail('a JSON object');
      return setting.parse ? setting.parse(value) : value;
  }
}
