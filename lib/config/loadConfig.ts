import { InputError } from '../errors.js';
import { readJsonObject } from './readJsonObject.js';
import { SETTINGS, envName, type SettingDefinition } from './settings.js';
import type { TapConfig } from './tapConfig.js';
import { validateConfig } from './validateConfig.js';

/** The literal `--config ENV` reads TAP_SIGMA_* variables instead of a file. */
export const ENV_CONFIG_SOURCE = 'ENV';

/**
 * Merges every `--config` source in order (later sources win) and validates the result.
 * @param sources file paths, or ENV_CONFIG_SOURCE
 */
export function loadConfig(sources: readonly string[], env: Readonly<Record<string, string | undefined>>): TapConfig {
  if (sources.length === 0) throw new InputError('missing --config: pass a config file (or --config ENV)');
  // No prototype: even a `__proto__` key that got past the reader would stay an ordinary key here.
  const merged: Record<string, unknown> = Object.create(null);
  for (const source of sources) {
    Object.assign(merged, source === ENV_CONFIG_SOURCE ? readEnv(env) : readJsonObject(source, 'config'));
  }
  return validateConfig(merged);
}

function readEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const text = env[envName(setting)];
    if (text !== undefined) config[setting.name] = castEnv(setting, text);
  }
  return config;
}

/** Env values are strings; cast them by the setting's type as the Meltano SDK does. */
function castEnv(setting: SettingDefinition, text: string): unknown {
  switch (setting.type) {
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
    case 'boolean': {
      const lowered = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
      if (['false', '0', 'no', 'off', ''].includes(lowered)) return false;
      return text;
    }
    case 'array':
      return text.trim().startsWith('[') ? parseJsonOr(text) : text.split(',').map((s) => s.trim()).filter(Boolean);
    case 'object':
      // As the Meltano SDK reads an object setting from the environment: JSON text.
      return text.trim() === '' ? undefined : parseJsonOr(text);
    default:
      return text;
  }
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
