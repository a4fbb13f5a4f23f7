import type { ExportEntry } from '../exports/parseExportEntries.js';
import type { ChildRefreshOverrides } from './childRefresh.js';

/** The validated configuration the rest of the tap reads; field names follow the Singer config keys. */
export interface TapConfig {
  readonly client_id: string;
  readonly client_secret: string;
  readonly api_url: string;
  readonly start_date?: string;
  readonly concurrency: number;
  readonly page_size: number;
  readonly validate_records: 'warn' | 'fail' | 'off';
  readonly user_agent: string;
  readonly max_retries: number;
  readonly request_timeout_ms: number;
  readonly max_retry_wait_ms: number;
  readonly max_response_bytes: number;
  readonly unavailable_streams: 'warn' | 'fail';
  readonly skip_permission_check: boolean;
  readonly include_archived: boolean;
  readonly file_type_filters: readonly string[];
  /** Stream names are checked against the stream table when a sync is planned. */
  readonly child_refresh: ChildRefreshOverrides;
  readonly state_message_frequency: number;
  /** Checked and compiled by compileStreamMaps when a sync starts. */
  readonly stream_maps?: Readonly<Record<string, unknown>>;
  readonly stream_map_config?: Readonly<Record<string, unknown>>;
  readonly flattening_enabled: boolean;
  readonly flattening_max_depth?: number;
  readonly flattening_max_key_length: number;
  readonly flattening_separator: string;
  readonly emit_activate_version_messages: boolean;
  /** Checked by readBatchConfig. */
  readonly batch_config?: Readonly<Record<string, unknown>>;
  readonly exports: readonly ExportEntry[];
  readonly export_requests_per_minute: number;
  readonly export_timeout_ms: number;
}
