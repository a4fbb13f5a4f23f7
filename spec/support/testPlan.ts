import { validateConfig } from '../../lib/config/validateConfig.js';
import { Logger } from '../../lib/log/logger.js';
import type { CatalogEntry } from '../../lib/singer/catalog.js';
import { StateTracker } from '../../lib/singer/stateTracker.js';
import { catalogEntryOf, type PlannedStream, planStreams } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';

/** A config for units that never reach the network. */
export const OFFLINE_CONFIG = validateConfig({ api_url: 'http://127.0.0.1:9', client_id: 'client', client_secret: 'secret-value' });

/** A logger that keeps its lines, for assertions. */
export function memoryLogger(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({ write: (line: string) => lines.push(line) }, 'debug'), lines };
}

/**
 * The plan a sync makes for a catalog of `selected` streams (as discovered), with `fullTable` streams
 * switched to FULL_TABLE.
 */
export function testPlan(selected: readonly string[], fullTable: readonly string[] = []): PlannedStream[] {
  const entries = selected.map((name): CatalogEntry => {
    const entry = catalogEntryOf(streams.find((s) => s.name === name)!);
    return fullTable.includes(name) ? { ...entry, replication_method: 'FULL_TABLE' } : entry;
  });
  return planStreams({ definitions: streams, catalog: { streams: entries }, config: OFFLINE_CONFIG, state: new StateTracker({}, '2024-06-01T00:00:00.000Z'), logger: memoryLogger().logger });
}
