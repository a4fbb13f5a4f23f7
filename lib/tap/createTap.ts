import { type Observable, catchError, concat, defer, EMPTY, filter, finalize, from, ignoreElements, map, mergeMap, NEVER, fromEvent, take, throwError } from 'rxjs';
import { TAP_NAME } from '../cli/about.js';
import { validateConfig } from '../config/validateConfig.js';
import { exportDefinitions } from '../exports/exportDefinitions.js';
import { exportStreamName } from '../exports/parseExportEntries.js';
import type { TapConfig } from '../config/tapConfig.js';
import type { DemandGate } from '../http/demandGate.js';
import { ALWAYS_OPEN } from '../http/demandGate.js';
import { SigmaClient } from '../http/sigmaClient.js';
import { withExactNumbersAsText } from '../json/exactNumbers.js';
import { Logger, type LogSink } from '../log/logger.js';
import { BatchFiles } from '../output/batchFiles.js';
import { readBatchSettings } from '../output/batchSettings.js';
import { jointGate } from '../output/jointGate.js';
import { RecordStream } from '../output/recordStream.js';
import { type OutputItem, singerOutput } from '../output/singerOutput.js';
import { SingerReadable } from '../output/singerReadable.js';
import { compileStreamOutputs } from '../output/streamOutputs.js';
import { childRefreshRules } from './childRefreshRules.js';
import type { Catalog } from '../singer/catalog.js';
import { type RecordBatch, type SingerMessage, serializeBatch, serializeMessage } from '../singer/messages.js';
import type { SigmaRecord, StreamDefinition } from '../streams/streamDefinition.js';
import { FanOutScheduler } from './fanOutScheduler.js';
import { catalogEntryOf } from './streamPlan.js';
import type { SyncObserver } from './syncObserver.js';
import { type SyncSession, openSyncSession } from './syncSession.js';
import { syncStreams } from './syncStreams.js';
import type { SyncReport } from './syncReport.js';

export interface TapOptions {
  /** Where log lines go; nowhere by default. */
  readonly log?: LogSink;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A logger of the caller's (the CLI's, which feeds the progress display); overrides `log`. */
  readonly logger?: Logger;
}

export interface MessagesOptions {
  readonly catalog?: Catalog;
  readonly state?: Record<string, unknown>;
  /** Aborting stops fetching: what was fetched is written, then a final STATE. */
  readonly signal?: AbortSignal;
}

export interface SyncOptions extends MessagesOptions {
  /** `--test`: the first page of each stream, one record each, availability in the report. */
  readonly sample?: boolean;
  /** Told about requests, records and finished trees as they happen (metrics, progress). */
  readonly observers?: readonly SyncObserver[];
}

/** Singer lines as a Node Readable, with what the sync skipped once it has ended. */
export interface SingerStream extends SingerReadable {
  /** Throws until the sync has started (its streams are known once the first data is read). */
  readonly report: SyncReport;
}

/**
 * tap-sigma as a library. One Tap is one client: every sync, subscription, loop and Readable of a
 * Tap shares its token, its limiter of requests in flight (`concurrency`) and its keep-alive
 * connections. `Records` maps each stream name to its record type; the package's `createTap` gives
 * `StreamRecords` (generated from the record schemas).
 */
export interface Tap<Records = Readonly<Record<string, SigmaRecord>>> {
  /** Names of every stream, the `exports` setting's (`export_<name>`) last. */
  readonly streamNames: ReadonlyArray<(keyof Records & string) | `export_${string}`>;
  /**
   * The records of one stream (its parents are read as needed but not emitted): an Observable (push)
   * and an AsyncIterable (pull, fetching only as the loop asks). Each subscription or loop is its own
   * extraction; ending it cancels its requests. Throws for an unknown name.
   */
  records<K extends keyof Records & string>(stream: K): RecordStream<Records[K]>;
  /** The rows of a workbook element of the `exports` setting: their columns are only known at run time. */
  records(stream: `export_${string}`): RecordStream<SigmaRecord>;
  /**
   * The catalog `--discover` prints: every stream, and the streams of the `exports` setting with their
   * schemas read from Sigma (the only part of discovery that needs the API).
   */
  discover(options?: { readonly signal?: AbortSignal }): Promise<Catalog>;
  /**
   * A whole sync as Singer messages (SCHEMAs, then RECORDs and STATEs, like the CLI's stdout, with the
   * same stream maps, flattening, ACTIVATE_VERSION and BATCH output), pushed.
   */
  messages(options?: MessagesOptions): Observable<SingerMessage>;
  /** A whole sync as Singer lines in a Node Readable that fetches as it is read: what the CLI pipes to stdout. */
  singerStream(options?: SyncOptions): SingerStream;
  /** Ends the Tap's idle keep-alive connections (a later sync opens new ones). */
  close(): void;
}

/**
 * Creates a tap from a config object (the same settings as the CLI's config file). `Records` is trusted,
 * not checked: it must describe the records of `definitions` (see scripts/generate-types.ts).
 */
export function createTap<Records = Readonly<Record<string, SigmaRecord>>>(
  rawConfig: Readonly<Record<string, unknown>> | TapConfig,
  definitions: readonly StreamDefinition[],
  options: TapOptions = {},
): Tap<Records> {
  const config = validateConfig(rawConfig as Readonly<Record<string, unknown>>);
  const batchSettings = readBatchSettings(config.batch_config);
  // Stream maps are compiled for each sync's selection; compiled once here for every stream, a mistake
  // in them fails createTap, as a wrong setting does.
  // Export streams are named here (a map may name them) but compiled with their schemas, known once discovered, when a sync starts.
  const exportNames = config.exports.map((entry) => exportStreamName(entry.name));
  compileStreamOutputs(
    definitions.map((definition) => ({ name: definition.name, schema: catalogEntryOf(definition).schema, keyProperties: definition.primaryKeys, replicationKey: definition.replicationKey })),
    config,
    [...definitions.map((definition) => definition.name), ...exportNames],
  );
  // A child_refresh entry that names no child stream fails createTap as well; each sync applies the rules.
  childRefreshRules(definitions, config.child_refresh);
  const logger = options.logger ?? new Logger(options.log ?? { write: () => true }, options.logLevel ?? 'warn');
  logger.addSecret(config.client_secret);
  const client = new SigmaClient({
    apiUrl: config.api_url,
    clientId: config.client_id,
    clientSecret: config.client_secret,
    concurrency: config.concurrency,
    maxRetries: config.max_retries,
    timeoutMs: config.request_timeout_ms,
    maxResponseBytes: config.max_response_bytes,
    maxRetryWaitMs: config.max_retry_wait_ms,
    exportRequestsPerMinute: config.export_requests_per_minute,
    userAgent: config.user_agent,
    logger,
  });
  let running = 0;
  const closeWhenIdle = (): void => {
    if (running === 0) client.close();
  };

  /**
   * The Singer output of one sync; `gate` is its consumer's demand. With `batch_config` (not for
   * records(), nor --test) records go to files, whose buffers pace the sync as well.
   */
  const output = (session: SyncSession, syncOptions: SyncOptions, gate: DemandGate, singer: boolean): Observable<OutputItem> =>
    defer(() => {
      running += 1;
      const { signal } = syncOptions;
      const observers = syncOptions.observers ?? [];
      const files =
        singer && batchSettings && !syncOptions.sample
          ? new BatchFiles({ settings: batchSettings, tapName: TAP_NAME, onUnserializable: (stream, error) => session.report.drop(stream, 'not serializable', 1, errorText(error)) })
          : undefined;
      const sync$ = syncStreams(session.plan, {
        client,
        config,
        logger,
        state: session.state,
        report: session.report,
        scheduler: new FanOutScheduler(fanOutLimit(config)),
        gate: files ? jointGate(gate, files.gate) : gate,
        check: session.check,
        ...(signal ? { signal } : {}),
        ...(syncOptions.sample ? { sample: true } : {}),
        ...(observers.some((o) => o.request) ? { onAttempt: (event) => observers.forEach((o) => o.request?.(event)) } : {}),
      });
      // Looked at when the output starts, after the credentials check: a signal may have come meanwhile.
      const stop$ = signal ? defer(() => (signal.aborted ? from([true]) : fromEvent(signal, 'abort').pipe(take(1)))) : NEVER;
      // Credentials are checked before anything is emitted, so a wrong secret leaves the output empty. A
      // stop during the check is a stop like any other: SCHEMAs and the final STATE (the input state) follow.
      const credentials$ = signal?.aborted
        ? EMPTY
        : from(client.verifyCredentials(signal)).pipe(
            ignoreElements(),
            catchError((error: unknown) => (signal?.aborted ? EMPTY : throwError(() => error))),
          );
      const singer$ = singerOutput(sync$, { schemas: session.schemas, state: session.state, stateEvery: config.state_message_frequency, observers, stop$, shaping: session.shaping });
      return concat(credentials$, files ? files.write(singer$) : singer$).pipe(
        finalize(() => {
          running -= 1;
          closeWhenIdle();
        }),
      );
    });

  /** The streams a sync of `catalog` reads: the table's, and those of the `exports` setting it selects. */
  const definitionsFor = async (catalog: Catalog | undefined, signal: AbortSignal | undefined): Promise<readonly StreamDefinition[]> =>
    config.exports.length === 0 ? definitions : [...definitions, ...(await exportDefinitions(client, config, catalog, signal))];

  const session = async (syncOptions: SyncOptions, singer: boolean): Promise<SyncSession> =>
    openSyncSession({
      config,
      definitions: await definitionsFor(syncOptions.catalog, syncOptions.signal),
      logger,
      output: singer ? 'singer' : 'records',
      ...(syncOptions.sample ? { sample: true } : {}),
      ...(syncOptions.catalog ? { catalog: syncOptions.catalog } : {}),
      ...(syncOptions.state ? { state: syncOptions.state } : {}),
    });

  /** A catalog of the one stream `records` reads (an export stream's schema is discovered first). */
  const catalogOf = async (stream: string): Promise<Catalog> => {
    const entry = config.exports.find((e) => exportStreamName(e.name) === stream);
    const definition = entry ? (await exportDefinitions(client, { ...config, exports: [entry] }, undefined))[0]! : definitions.find((d) => d.name === stream)!;
    return { streams: [catalogEntryOf(definition)] };
  };

  function records(stream: string): RecordStream<SigmaRecord> {
    if (!definitions.some((d) => d.name === stream) && !exportNames.includes(stream)) throw new Error(`unknown stream '${stream}'`);
    return new RecordStream<SigmaRecord>((gate) =>
      defer(async () => session({ catalog: await catalogOf(stream) }, false)).pipe(
        mergeMap((current) => output(current, {}, gate, false)),
        filter((item): item is Extract<OutputItem, { kind: 'records' }> => item.kind === 'records' && item.batch.stream === stream),
        map((item) => libraryRecords(item.batch)),
      ),
    );
  }

  return {
    streamNames: [...definitions.map((d) => d.name as keyof Records & string), ...(exportNames as Array<`export_${string}`>)],
    records: records as Tap<Records>['records'],
    discover: async (opts = {}) => {
      try {
        return { streams: (await definitionsFor(undefined, opts.signal)).map(catalogEntryOf) };
      } finally {
        closeWhenIdle();
      }
    },
    messages: (opts = {}) => defer(() => session(opts, true)).pipe(mergeMap((current) => output(current, opts, ALWAYS_OPEN, true).pipe(mergeMap((item) => messagesOf(item))))),
    singerStream: (opts = {}) => {
      let current: SyncSession | undefined;
      const readable = new SingerReadable((gate) =>
        defer(() => session(opts, true)).pipe(
          mergeMap((opened) => {
            current = opened;
            return output(opened, opts, gate, true).pipe(
              map((item) =>
                item.kind === 'message' ? serializeMessage(item.message) : serializeBatch(item.batch, (_record, error) => opened.report.drop(item.batch.stream, 'not serializable', 1, errorText(error))),
              ),
            );
          }),
        ),
      );
      return Object.defineProperty(readable, 'report', {
        get: (): SyncReport => {
          if (!current) throw new Error('the sync has not started: read the stream first');
          return current.report;
        },
      }) as SingerStream;
    },
    close: () => client.close(),
  };
}

/**
 * Page requests in progress per sync: twice the requests allowed in flight, so requests waiting out a
 * backoff never leave the limiter idle, and a bound whatever the catalog's shape.
 */
function fanOutLimit(config: TapConfig): number {
  return Math.max(4, config.concurrency * 2);
}

function messagesOf(item: OutputItem): SingerMessage[] {
  if (item.kind === 'message') return [item.message];
  const { stream, timeExtracted, version } = item.batch;
  const records = libraryRecords(item.batch);
  if (version !== undefined) return records.map((record): SingerMessage => ({ type: 'RECORD', stream, record, version, time_extracted: timeExtracted }));
  return records.map((record): SingerMessage => ({ type: 'RECORD', stream, record, time_extracted: timeExtracted }));
}

/** A batch's records as library users get them: numbers no JavaScript number holds as the text of their digits. */
function libraryRecords(batch: RecordBatch): readonly SigmaRecord[] {
  return batch.exactNumbers ? batch.records.map((record) => withExactNumbersAsText(record) as SigmaRecord) : batch.records;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
