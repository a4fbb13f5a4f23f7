import { EXPORT_ENTRY_SCHEMA, parseExportEntries } from '../exports/parseExportEntries.js';

/** JSON types a setting can take; they drive validation, env-var casting and `--about`. */
export type SettingType = 'string' | 'integer' | 'boolean' | 'array' | 'date-time';

export interface SettingDefinition {
  readonly name: string;
  readonly type: SettingType;
  readonly description: string;
  readonly required?: boolean;
  /** Never printed, logged or echoed back in an error. */
  readonly secret?: boolean;
  readonly default?: string | number | boolean | readonly string[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** An array's items as `--about` describes them; strings when absent. */
  readonly items?: Readonly<Record<string, unknown>>;
  /** Checks and normalizes a structured value (throws InputError); arrays of strings need none. */
  readonly parse?: (value: unknown) => unknown;
}

/** Every setting the tap reads. `--about`, `--config ENV` and config validation all derive from this table. */
export const SETTINGS: readonly SettingDefinition[] = [
  { name: 'client_id', type: 'string', required: true, description: 'Sigma API client ID (Administration → Developer access).' },
  { name: 'client_secret', type: 'string', required: true, secret: true, description: 'Sigma API client secret.' },
  { name: 'api_url', type: 'string', required: true, description: 'Regional API base URL, e.g. https://aws-api.sigmacomputing.com (https only, except loopback).' },
  { name: 'start_date', type: 'date-time', description: 'Only records whose replication key is at or after this instant are emitted: an RFC 3339 date-time, or a date (midnight UTC).' },
  { name: 'concurrency', type: 'integer', default: 8, minimum: 1, maximum: 64, description: 'Maximum HTTP requests in flight for the whole run.' },
  { name: 'page_size', type: 'integer', default: 1000, minimum: 1, maximum: 1000, description: 'Page size requested from list endpoints (clamped to each endpoint’s maximum).' },
  { name: 'validate_records', type: 'string', default: 'warn', enum: ['warn', 'fail', 'off'], description: 'Validate each record against its schema: warn, fail the run, or skip validation.' },
  { name: 'user_agent', type: 'string', default: 'tap-sigma', description: 'User-Agent header sent to Sigma.' },
  { name: 'max_retries', type: 'integer', default: 6, minimum: 0, maximum: 20, description: 'Retries of one request (token requests included) for 429, 5xx, resets, timeouts, oversized and unparseable bodies.' },
  { name: 'request_timeout_ms', type: 'integer', default: 60000, minimum: 100, description: 'Deadline of one HTTP attempt, headers and body together, in milliseconds.' },
  { name: 'max_retry_wait_ms', type: 'integer', default: 30000, minimum: 0, description: 'Longest wait before a retry, whether Sigma asks for it with Retry-After or backoff grows to it, in milliseconds.' },
  { name: 'max_response_bytes', type: 'integer', default: 33554432, minimum: 1024, description: 'Largest response body accepted; a bigger one is abandoned and retried like a fault.' },
  { name: 'unavailable_streams', type: 'string', default: 'warn', enum: ['warn', 'fail'], description: 'A selected stream whose endpoint this client cannot read (403, 404, feature not enabled): warn and go on, or fail the run.' },
  { name: 'skip_permission_check', type: 'boolean', default: false, description: 'Admin only: list every workbook, data model, report and dataset, not only those shared with the client.' },
  { name: 'include_archived', type: 'boolean', default: false, description: 'Also extract archived workbooks, reports and data models and their children, and archived or inactive members.' },
  { name: 'file_type_filters', type: 'array', default: [], description: 'Types asked of /v2/files (e.g. ["workbook","table"]); empty means Sigma’s default set.' },
  { name: 'state_message_frequency', type: 'integer', default: 10000, minimum: 1, description: 'Emit an interim STATE after this many records.' },
  {
    name: 'exports',
    type: 'array',
    default: [],
    items: EXPORT_ENTRY_SCHEMA,
    parse: parseExportEntries,
    description: 'Workbook elements whose rows are extracted as streams (export_<name>): objects of name, workbook_id, element_id and optionally parameters, replication_key, replication_parameter, primary_keys, row_limit.',
  },
  { name: 'export_requests_per_minute', type: 'integer', default: 400, minimum: 1, maximum: 400, description: 'Export and download requests sent per minute at most (Sigma allows 400 per organization; lower it to leave room for other clients).' },
  { name: 'export_timeout_ms', type: 'integer', default: 1800000, minimum: 1000, description: 'Longest wait for an export’s file to be ready, polled with backoff, in milliseconds.' },
];

export const ENV_PREFIX = 'TAP_SIGMA_';

export function envName(setting: SettingDefinition): string {
  return ENV_PREFIX + setting.name.toUpperCase();
}
