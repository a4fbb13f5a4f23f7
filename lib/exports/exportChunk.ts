import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, RequestCancelledError } from '../errors.js';
import { fillPath } from '../http/buildRequest.js';
import type { SigmaRequest, StreamedResponse } from '../http/sigmaClient.js';
import { isJsonObject } from '../json/jsonShape.js';
import type { RecordBatch } from '../singer/messages.js';
import { pageRecords } from '../tap/pageRecords.js';
import type { PlannedStream } from '../tap/streamPlan.js';
import type { SyncDependencies } from '../tap/syncTree.js';
import { EXPORT_PATH } from './exportDefinition.js';
import { JsonLineReader, type ParsedLines } from './JsonLineReader.js';
import type { LastKeys } from './LastKeys.js';
import type { ExportEntry } from './parseExportEntries.js';

export const DOWNLOAD_PATH = '/v2/query/{queryId}/download';
/** The first wait before polling a file that is not ready yet; each further wait doubles, up to POLL_MAX_MS. */
const POLL_FIRST_MS = 100;
const POLL_MAX_MS = 5_000;

/** One chunk of an element: the rows `[offset, offset + rowLimit)` of its stable order. */
export interface ChunkRequest {
  readonly parameters: Readonly<Record<string, string>>;
  readonly offset: number;
  readonly rowLimit: number;
}

export interface ChunkContext {
  readonly stream: PlannedStream;
  readonly entry: ExportEntry;
  readonly deps: SyncDependencies;
  readonly signal: AbortSignal;
  /** Keys of the rows emitted lately, shared by the chunks of one extraction. */
  readonly seen: LastKeys;
  readonly emit: (batch: RecordBatch) => void;
}

interface Query {
  readonly queryId: string;
}

const NOT_READY = Symbol('not ready');
const EXPIRED = Symbol('expired');

/**
 * Exports one chunk and emits its rows as its file arrives; resolves with the number of rows the file
 * had (fewer than `rowLimit` means the element has no more).
 *
 * Whatever happens to a file, each row of the chunk is emitted once: rows are counted as they are
 * handled, and a download that starts again (after a connection broke off mid-file, and the client
 * retried it) or a chunk exported again (its queryId expired before it was read) skips as many rows
 * as were handled already. That relies on Sigma's order being stable from one request to the next,
 * which its document states ("the order of the data matches the order in the data element").
 */
export async function exportChunk(context: ChunkContext, request: ChunkRequest): Promise<number> {
  const progress = { handled: 0 };
  const { deps, stream } = context;
  for (let exported = 1; ; exported += 1) {
    const query = await createQuery(context, request);
    const rows = await downloadQuery(context, request, query, progress);
    if (rows !== EXPIRED) return rows;
    if (exported > deps.config.max_retries) {
      throw new ApiError(`the export of rows from offset ${request.offset} expired ${exported} times before it could be read`, 404, 'fatal', { endpoint: DOWNLOAD_PATH });
    }
    deps.logger.info(`${stream.definition.name}: query ${query.queryId} expired before its file was read; exporting rows from offset ${request.offset} again (${progress.handled} of them already emitted)`);
  }
}

/** The request fields every export and download of this stream shares. */
function requestBase(context: ChunkContext): Pick<SigmaRequest, 'stream' | 'signal' | 'gate' | 'exportQuota' | 'onAttempt'> {
  const { deps } = context;
  return {
    stream: context.stream.definition.name,
    signal: context.signal,
    gate: deps.gate,
    exportQuota: true,
    ...(deps.onAttempt ? { onAttempt: deps.onAttempt } : {}),
  };
}

async function createQuery(context: ChunkContext, request: ChunkRequest): Promise<Query> {
  const { entry } = context;
  const path = fillPath(EXPORT_PATH, { workbookId: entry.workbook_id });
  const answer = await context.deps.client.request({
    ...requestBase(context),
    method: 'POST',
    path,
    endpoint: EXPORT_PATH,
    body: {
      elementId: entry.element_id,
      format: { type: 'jsonl' },
      ...(Object.keys(request.parameters).length > 0 ? { parameters: request.parameters } : {}),
      rowLimit: request.rowLimit,
      offset: request.offset,
    },
  });
  const queryId = isJsonObject(answer.body) ? answer.body['queryId'] : undefined;
  if (typeof queryId !== 'string' || queryId === '') throw new ApiError(`POST ${path} answered without a queryId`, 200, 'fatal', { endpoint: EXPORT_PATH });
  return { queryId };
}

/**
 * Polls the download until the file is ready (204 until then), with a backoff that starts short
 * (small exports are ready within a second) and settles at one poll every few seconds, so that waiting
 * spends little of the per-minute limit; gives up after `export_timeout_ms`. A 404 means the queryId
 * is gone (expired, or never known): the caller exports the chunk again.
 */
async function downloadQuery(context: ChunkContext, request: ChunkRequest, query: Query, progress: { handled: number }): Promise<number | typeof EXPIRED> {
  const { deps } = context;
  const path = fillPath(DOWNLOAD_PATH, { queryId: query.queryId });
  const deadline = Date.now() + deps.config.export_timeout_ms;
  for (let poll = 0; ; poll += 1) {
    let rows: number | typeof NOT_READY;
    try {
      rows = await deps.client.stream({ ...requestBase(context), path, endpoint: DOWNLOAD_PATH }, (response) => readFile(context, request, response, progress));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return EXPIRED;
      throw error;
    }
    if (rows !== NOT_READY) return rows;
    const waitMs = Math.min(POLL_MAX_MS, POLL_FIRST_MS * 2 ** poll);
    if (Date.now() + waitMs > deadline) {
      throw new ApiError(`the export of rows from offset ${request.offset} (query ${query.queryId}) was not ready within export_timeout_ms (${deps.config.export_timeout_ms} ms, ${poll + 1} polls)`, 204, 'fatal', { endpoint: DOWNLOAD_PATH });
    }
    await sleep(waitMs, undefined, { signal: context.signal }).catch(() => {
      throw new RequestCancelledError();
    });
  }
}

/** Reads one response of the download: the file's rows (200), or that it is not ready yet (any other 2xx). */
async function readFile(context: ChunkContext, request: ChunkRequest, response: StreamedResponse, progress: { handled: number }): Promise<number | typeof NOT_READY> {
  if (response.status !== 200) {
    // Read to its (empty) end, so that the connection stays open for the next poll.
    for await (const chunk of response.chunks) void chunk;
    return NOT_READY;
  }
  const reader = new JsonLineReader();
  let index = 0;
  const take = (parsed: ParsedLines): void => {
    const skip = Math.min(parsed.rows.length, Math.max(0, progress.handled - index));
    index += parsed.rows.length;
    if (skip === parsed.rows.length) return;
    emitRows(context, request, skip === 0 ? parsed.rows : parsed.rows.slice(skip), parsed);
    progress.handled = index;
  };
  for await (const chunk of response.chunks) take(reader.push(chunk));
  take(reader.end());
  return index;
}

function emitRows(context: ChunkContext, request: ChunkRequest, rows: readonly unknown[], lines: ParsedLines): void {
  const { stream, deps } = context;
  const where = { elementId: context.entry.element_id, offset: String(request.offset) };
  const { records } = pageRecords(stream, rows, lines.maxDepth, where, context.seen, deps);
  const emitted = deps.sample ? records.slice(0, 1) : records;
  if (emitted.length === 0) return;
  const timeExtracted = (deps.now?.() ?? new Date()).toISOString();
  const batch = deps.check(stream, { stream: stream.definition.name, records: emitted, timeExtracted, ...(lines.exactNumbers ? { exactNumbers: true } : {}) });
  if (batch.records.length > 0) context.emit(batch);
}
