import { SETTINGS, envName, type SettingDefinition } from '../config/settings.js';

export const TAP_NAME = 'tap-sigma';
export const DESCRIPTION = 'Singer tap for the Sigma Computing REST API, built as a reactive RxJS pipeline.';
export const CAPABILITIES = ['about', 'activate-version', 'batch', 'catalog', 'discover', 'properties', 'schema-flattening', 'state', 'stream-maps', 'test'] as const;

/** The config JSON Schema, as `--about --format json` prints it under `settings`. */
export function settingsSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const setting of SETTINGS) properties[setting.name] = settingProperty(setting);
  return { type: 'object', properties, required: SETTINGS.filter((s) => s.required).map((s) => s.name) };
}

function settingProperty(setting: SettingDefinition): Record<string, unknown> {
  const type = setting.type === 'date-time' ? 'string' : setting.type;
  return {
    type: [type, ...(setting.required ? [] : ['null'])],
    description: setting.description,
    ...(setting.type === 'date-time' ? { format: 'date-time' } : {}),
    ...(setting.type === 'array' ? { items: { type: 'string' } } : {}),
    ...setting.schema,
    ...(setting.default !== undefined ? { default: setting.default } : {}),
    ...(setting.enum ? { enum: setting.enum } : {}),
    ...(setting.minimum !== undefined ? { minimum: setting.minimum } : {}),
    ...(setting.maximum !== undefined ? { maximum: setting.maximum } : {}),
    ...(setting.secret ? { secret: true, writeOnly: true } : {}),
  };
}

/** `--about` in the Meltano SDK's three formats (key order as the SDK writes them). */
export function renderAbout(format: 'text' | 'json' | 'markdown', version: string): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        name: TAP_NAME,
        description: DESCRIPTION,
        version,
        sdk_version: null,
        supported_python_versions: null,
        supported_node_versions: ['>=20.10'],
        capabilities: CAPABILITIES,
        settings: settingsSchema(),
      },
      null,
      2,
    )}\n`;
  }
  if (format === 'markdown') {
    const rows = SETTINGS.map((s) => `| ${s.name} | ${s.required ? 'True' : 'False'} | ${s.default === undefined ? 'None' : JSON.stringify(s.default)} | ${s.description} |`);
    return [
      `# \`${TAP_NAME}\``,
      '',
      DESCRIPTION,
      '',
      '## Capabilities',
      '',
      ...CAPABILITIES.map((c) => `* \`${c}\``),
      '',
      '## Settings',
      '',
      '| Setting | Required | Default | Description |',
      '|:--------|:--------:|:-------:|:------------|',
      ...rows,
      '',
      `A full list of supported settings and capabilities is available by running: \`${TAP_NAME} --about\``,
      '',
    ].join('\n');
  }
  return [
    `Name: ${TAP_NAME}`,
    `Description: ${DESCRIPTION}`,
    `Version: ${version}`,
    'Capabilities:',
    ...CAPABILITIES.map((c) => `  - ${c}`),
    'Settings:',
    ...SETTINGS.flatMap((s) => [`  - Name: ${s.name}`, `    Type: ${s.type}`, `    Environment Variable: ${envName(s)}`]),
    '',
  ].join('\n');
}
