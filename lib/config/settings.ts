import { EXPORT_ENTRY_SCHEMA, parseExportEntries } from '../exports/parseExportEntries.js';
import { CHILD_REFRESH_SCHEMA, parseChildRefresh } from './childRefresh.js';

/** JSON types a setting can take; they drive validation, env-var casting and `--about`. */
export type SettingType = 'string' | 'integer' | 'boolean' | 'array' | 'date-time' | 'object';

export interface SettingDefinition {
  readonly name: string;
  readonly type: SettingType;
  readonly description: string;
  readonly required?: boolean;
  /** Never printed, logged or echoed back in an error. */
  readonly secret?: boolean;
  readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, unknown>>;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** An object setting's JSON Schema beyond its type (properties, additionalProperties), as `--about` prints it. */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** Checks and normalizes a structured value (throws InputError); arrays of strings need none. */
  readonly parse?: (value: unknown) => unknown;
}

const NULL_OR_NULL_STRING = { anyOf: [{ const: '__NULL__' }, { type: 'null' }] };

/** The shape of `stream_maps`, as the Meltano SDK's `--about` gives it. */
const STREAM_MAPS_SCHEMA = {
  properties: {
    __else__: { ...NULL_OR_NULL_STRING, description: 'Only null (or "__NULL__") is supported: it removes every stream no key maps.' },
  },
  additionalProperties: {
    anyOf: [
      { const: '__NULL__' },
      { type: 'null' },
      {
        type: 'object',
        properties: {
          __alias__: { type: 'string', description: 'New name of the stream.' },
          __else__: { ...NULL_OR_NULL_STRING, description: 'Only null (or "__NULL__") is supported: it removes every property not mapped (key properties stay).' },
          __filter__: { type: 'string', description: 'An expression that is true for the records to keep.' },
          __key_properties__: { type: ['array', 'null'], items: { type: 'string' }, description: 'Key properties of the mapped stream; null or [] for none.' },
          __source__: { type: 'string', description: 'Make this key a new stream copied from that stream.' },
        },
        additionalProperties: { anyOf: [{ const: '__NULL__' }, { type: 'null' }, { type: 'string' }] },
      },
    ],
  },
};

/** The shape of `batch_config` (the Meltano SDK's, with its `batch_size`). */
const BATCH_CONFIG_SCHEMA = {
  properties: {
    encoding: {
      type: 'object',
      description: 'Format and compression of the batch files.',
      properties: {
        format: { type: 'string', enum: ['jsonl'], description: 'Format of the batch files: jsonl (one record per line).' },
        compression: { type: 'string', enum: ['gzip', 'none'], description: 'Compression of the batch files.' },
      },
    },
    storage: {
      type: 'object',
      description: 'Where the batch files are written.',
      properties: {
        root: { type: 'string', description: 'Folder of the batch files: a file:// URL or a local path.' },
        prefix: { type: 'string', description: 'Prefix of every batch file name.' },
      },
    },
    batch_size: { type: 'integer', minimum: 1, default: 10000, description: 'Most records in one batch file.' },
  },
};

/** Every setting the tap reads. `--about`, `--config ENV` and config validation all derive from this table. */
export const SETTINGS: readonly SettingDefinition[] = [
  { name: 'client_id', type: 'string', required: true, description: 'Sigma API client ID (Administration → Developer access).' },
  { name: 'client_secret', type: 'string', required: true, secret: true, description: 'Sigma API client secret.' },
  { name: 'api_url', type: 'string', required: true, description: 'Regional API base URL, e.g. https://aws-api.sigmacomputing.com (https only, except loopback).' },
  { name: 'start_date', type: 'date-time', description: 'Only records whose replication key is at or after this instant are emitted: an RFC 3339 date-time, or a date (midnight UTC).' },
  { name: 'concurrency', type: 'integer', default: 8, minimum: 1, maximum: 64, description: 'Maximum HTTP requests in flight for the whole run.' },
  { name: 'page_size', type: 'integer', default: 250, minimum: 1, maximum: 1000, description: 'Page size requested from list endpoints (clamped to each endpoint’s maximum). Peak memory grows with it; above 250 it saves few requests, most lists being shorter.' },
  { name: 'validate_records', type: 'string', default: 'warn', enum: ['warn', 'fail', 'off'], description: 'Validate each record against its schema: warn, fail the run, or skip validation.' },
  { name: 'user_agent', type: 'string', default: 'tap-sigma', description: 'User-Agent header sent to Sigma.' },
  { name: 'max_retries', type: 'integer', default: 6, minimum: 0, maximum: 20, description: 'Retries of one request (token requests included) for 429, 5xx, resets, timeouts, oversized and unparseable bodies; the token endpoint\'s 429s (other processes of the client asking first) are waited out without counting, for up to 10 minutes.' },
  { name: 'request_timeout_ms', type: 'integer', default: 60000, minimum: 100, description: 'Deadline of one HTTP attempt, headers and body together, in milliseconds.' },
  { name: 'max_retry_wait_ms', type: 'integer', default: 30000, minimum: 0, description: 'Longest wait before a retry, whether Sigma asks for it with Retry-After or backoff grows to it, in milliseconds.' },
  { name: 'max_response_bytes', type: 'integer', default: 16777216, minimum: 1024, description: 'Largest response body accepted, in bytes, with at most one JSON object or array per 32 of them; a bigger body is abandoned and retried like a fault.' },
  { name: 'unavailable_streams', type: 'string', default: 'warn', enum: ['warn', 'fail'], description: 'A selected stream whose endpoint this client cannot read (403, 404, feature not enabled): warn and go on, or fail the run.' },
  { name: 'skip_permission_check', type: 'boolean', default: false, description: 'Admin only: list every workbook, data model, report and dataset, not only those shared with the client.' },
  { name: 'include_archived', type: 'boolean', default: false, description: 'Also extract archived workbooks, reports and data models and their children, and archived or inactive members.' },
  { name: 'file_type_filters', type: 'array', default: [], description: 'Types asked of /v2/files (e.g. ["workbook","table"]); empty means Sigma’s default set.' },
  {
    name: 'child_refresh',
    type: 'object',
    default: {},
    schema: CHILD_REFRESH_SCHEMA,
    parse: parseChildRefresh,
    description:
      'Overrides, per child stream, for which parents an incremental run reads it: "with-parent" reads it only for parents new or changed since their bookmark (trusting that a change to it moves the parent\'s updatedAt), "every-run" reads it for every parent. Defaults are in the README\'s stream table.',
  },
  { name: 'state_message_frequency', type: 'integer', default: 10000, minimum: 1, description: 'Emit an interim STATE after this many records.' },
  // The Meltano SDK's built-in settings, with its names and meanings.
  { name: 'stream_maps', type: 'object', schema: STREAM_MAPS_SCHEMA, description: 'Stream maps as the Meltano SDK has them: alias, filter, drop or copy streams, remove or compute properties (https://sdk.meltano.com/en/latest/stream_maps.html).' },
  { name: 'stream_map_config', type: 'object', description: 'Values for stream map expressions, which read them as config (a hash seed, say).' },
  { name: 'flattening_enabled', type: 'boolean', default: false, description: 'Flatten nested objects into parent__child columns, in SCHEMA and RECORD.' },
  { name: 'flattening_max_depth', type: 'integer', minimum: 0, description: 'How many levels of nested objects become columns; deeper objects and arrays become JSON strings. Required when flattening_enabled is true.' },
  { name: 'flattening_max_key_length', type: 'integer', default: 255, minimum: 1, description: 'Flattened column names this long or longer are abbreviated.' },
  { name: 'flattening_separator', type: 'string', default: '__', description: 'Separator of the names in a flattened column name.' },
  { name: 'emit_activate_version_messages', type: 'boolean', default: false, description: 'Frame each FULL_TABLE stream with ACTIVATE_VERSION messages and a version on its RECORDs, so a target can delete rows that are gone from Sigma.' },
  { name: 'batch_config', type: 'object', schema: BATCH_CONFIG_SCHEMA, description: 'Write records to gzip-compressed JSON Lines files on local disk and emit BATCH messages instead of RECORD messages.' },
  {
    name: 'exports',
    type: 'array',
    default: [],
    schema: { items: EXPORT_ENTRY_SCHEMA },
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
