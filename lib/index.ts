/**
 * tap-sigma's public API. The CLI (`tap-sigma`) is built from these same pieces.
 * @example
 * import { createTap } from 'tap-sigma';
 * const tap = createTap({ api_url, client_id, client_secret });
 * tap.records('workbooks').subscribe((workbook) => console.log(workbook.name));
 */
import type { StreamDefinition } from './streams/streamDefinition.js';
import { streams as sigmaStreams } from '../pipelines/index.js';
import { type Tap, type TapOptions, createTap as createTapWith } from './tap/createTap.js';

export type { Tap, TapOptions, MessagesOptions } from './tap/createTap.js';
export type { TapConfig } from './config/tapConfig.js';
export type { SingerMessage, SchemaMessage, RecordMessage, StateMessage } from './singer/messages.js';
export type { Catalog, CatalogEntry } from './singer/catalog.js';
export type { StreamDefinition, SigmaRecord, JsonSchema } from './streams/streamDefinition.js';
export { TapSigmaError, InputError, ApiError, PaginationLoopError, RecordValidationError, OutputClosedError } from './errors.js';
export { SETTINGS } from './config/settings.js';
export { main } from './cli/main.js';

/** Every stream the tap extracts. */
export const streams: readonly StreamDefinition[] = sigmaStreams;

/** Creates a tap over every Sigma stream from a config object (the CLI's config file settings). */
export function createTap(config: Readonly<Record<string, unknown>>, options?: TapOptions): Tap {
  return createTapWith(config, sigmaStreams, options);
}
