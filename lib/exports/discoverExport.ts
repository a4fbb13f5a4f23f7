import type { TapConfig } from '../config/tapConfig.js';
import { ApiError, PaginationLoopError, TapSigmaError } from '../errors.js';
import { fillPath } from '../http/buildRequest.js';
import { parsePage } from '../http/parsePage.js';
import type { SigmaClient } from '../http/sigmaClient.js';
import { isJsonObject } from '../json/jsonShape.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { type ElementColumn, exportDefinition } from './exportDefinition.js';
import { type ExportEntry, exportStreamName } from './parseExportEntries.js';

const COLUMNS_PATH = '/v2/workbooks/{workbookId}/elements/{elementId}/columns';

/**
 * The stream of an `exports` entry, with its schema read from the element's columns (every page of
 * them). Any failure is one line naming the export, so a wrong id is found at `--discover`.
 */
export async function discoverExport(client: SigmaClient, entry: ExportEntry, config: TapConfig, signal?: AbortSignal): Promise<StreamDefinition> {
  try {
    return exportDefinition(entry, await readColumns(client, entry, config, signal));
  } catch (error) {
    if (!(error instanceof TapSigmaError) || error.code === 'TAP_SIGMA_CANCELLED') throw error;
    const where = `export '${entry.name}' (workbook ${entry.workbook_id}, element ${entry.element_id})`;
    if (error instanceof ApiError) throw new ApiError(`${where}: cannot read the element's columns for its schema: ${error.message}`, error.status, 'fatal', error.context);
    throw error;
  }
}

async function readColumns(client: SigmaClient, entry: ExportEntry, config: TapConfig, signal: AbortSignal | undefined): Promise<ElementColumn[]> {
  const path = fillPath(COLUMNS_PATH, { workbookId: entry.workbook_id, elementId: entry.element_id });
  const columns: ElementColumn[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  do {
    const answer = await client.request({
      path,
      params: { limit: config.page_size, ...(cursor === undefined ? {} : { page: cursor }) },
      endpoint: COLUMNS_PATH,
      stream: exportStreamName(entry.name),
      ...(signal ? { signal } : {}),
    });
    const page = parsePage('pageLimit', answer.body, COLUMNS_PATH);
    for (const column of page.entries) {
      if (isJsonObject(column) && typeof column['label'] === 'string') columns.push({ label: column['label'], type: column['type'] });
    }
    cursor = page.next;
    if (cursor !== undefined && cursors.has(cursor)) throw new PaginationLoopError(cursor, { endpoint: COLUMNS_PATH });
    if (cursor !== undefined) cursors.add(cursor);
  } while (cursor !== undefined);
  return columns;
}
