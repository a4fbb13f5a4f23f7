import type { Writable } from 'node:stream';
import type { RequestEvent } from '../http/sigmaClient.js';
import { type SerializedOutput, toRecordMessages } from '../operators/toRecordMessages.js';
import { SingerWriter } from '../singer/singerWriter.js';
import { type SyncSessionOptions, openSyncSession } from './syncSession.js';
import { syncStreams } from './syncStreams.js';

export interface RunSyncOptions extends SyncSessionOptions {
  readonly output: Writable;
  /** `--test`: one record per stream. */
  readonly sample?: boolean;
  /** Aborting stops fetching; what was fetched is written, then a final STATE. */
  readonly signal?: AbortSignal;
  /** Told about requests, written records and finished trees as they happen (metrics, progress). */
  readonly observers?: readonly SyncObserver[];
}

/**
 * Watches a sync without taking part in it: every call is synchronous, must be cheap and must not
 * throw. `records` counts records as they are handed to the writer.
 */
export interface SyncObserver {
  /** One HTTP attempt answered or failed (retries are separate attempts with `retry: true`). */
  request?(event: RequestEvent): void;
  records?(stream: string, count: number): void;
  /** A top-level stream and all its descendants are written. */
  treeDone?(root: string): void;
}

export interface SyncSummary {
  readonly records: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly aborted: boolean;
}

/**
 * Runs one sync into `output`: SCHEMA for every selected stream first, then RECORDs as pages arrive,
 * a STATE after each top-level stream tree and every `state_message_frequency` records, and a final
 * STATE. Resolves when everything is flushed; rejects on a fatal error or when the reader goes away.
 */
export async function runSync(options: RunSyncOptions): Promise<SyncSummary> {
  const { config, logger } = options;
  const observers = options.observers ?? [];
  let requests = 0;
  const { plan, state, client, schemas } = openSyncSession({
    ...options,
    onRequest: (event) => {
      requests += 1;
      options.onRequest?.(event);
      for (const observer of observers) observer.request?.(event);
    },
  });
  const writer = new SingerWriter(options.output);
  const counter = new RecordCounter(config.state_message_frequency);
  try {
    // Credentials are checked before anything is written, so a wrong secret leaves stdout empty.
    await client.tokens.get();
    if (state.hasContent) writer.writeState(state.value());
    for (const schema of schemas) writer.writeMessage(schema);
    const write = (output: SerializedOutput): void => {
      if (output.kind === 'checkpoint') {
        logger.info(`${output.root}: done, with its child streams`);
        for (const observer of observers) observer.treeDone?.(output.root);
      } else {
        writer.write(output.text);
        for (const observer of observers) observer.records?.(output.stream, output.count);
      }
      if ((output.kind === 'checkpoint' || counter.add(output.stream, output.count)) && state.hasContent) writer.writeState(state.value());
    };
    const output$ = syncStreams(plan, {
      client,
      config,
      logger,
      state,
      whenWritable: () => writer.whenWritable(),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.sample ? { sample: true } : {}),
    }).pipe(toRecordMessages());
    const aborted = await new Promise<boolean>((resolve, reject) => {
      const subscription = output$.subscribe({ next: write, error: reject, complete: () => resolve(false) });
      const stop = (): void => {
        subscription.unsubscribe();
        logger.info('stopping: the records fetched so far are written, then a final STATE');
        resolve(true);
      };
      if (options.signal?.aborted) stop();
      options.signal?.addEventListener('abort', stop);
      writer.onFailure((error) => {
        subscription.unsubscribe();
        reject(error);
      });
    });
    if (!aborted) state.finish();
    if (state.hasContent) writer.writeState(state.value());
    await writer.flush();
    if (writer.failure) throw writer.failure;
    return { records: counter.byStream, requests, aborted };
  } finally {
    client.close();
  }
}

/** Counts records per stream and says when an interim STATE is due. */
class RecordCounter {
  readonly byStream: Record<string, number> = {};
  private sinceState = 0;

  constructor(private readonly stateEvery: number) {}

  /** Returns true when `stateEvery` records were counted since the last time it returned true. */
  add(stream: string, count: number): boolean {
    this.byStream[stream] = (this.byStream[stream] ?? 0) + count;
    this.sinceState += count;
    if (this.sinceState < this.stateEvery) return false;
    this.sinceState = 0;
    return true;
  }
}
