import { setMaxListeners } from 'node:events';
import { type Observable, concat, defer, filter, finalize, from, map, mergeMap, of } from 'rxjs';
import { validateConfig } from '../config/validateConfig.js';
import { Logger, type LogSink } from '../log/logger.js';
import type { Catalog } from '../singer/catalog.js';
import { type SingerMessage, stateMessage } from '../singer/messages.js';
import type { SigmaRecord, StreamDefinition } from '../streams/streamDefinition.js';
import { catalogEntryOf } from './streamPlan.js';
import { openSyncSession } from './syncSession.js';
import { syncStreams } from './syncStreams.js';

export interface TapOptions {
  /** Where log lines go; nowhere by default. */
  readonly log?: LogSink;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface MessagesOptions {
  readonly catalog?: Catalog;
  readonly state?: Record<string, unknown>;
}

/**
 * tap-sigma as a library: each stream an Observable, or a whole sync as Singer messages.
 * `Records` maps each stream name to its record type; the package's `createTap` gives `StreamRecords`
 * (generated from the record schemas), a tap over other definitions gets plain `SigmaRecord`s.
 */
export interface Tap<Records = Readonly<Record<string, SigmaRecord>>> {
  /** Names of every stream. */
  readonly streamNames: ReadonlyArray<keyof Records & string>;
  /**
   * The records of one stream (its parents are read as needed but not emitted). Cold: each subscription
   * runs its own extraction; unsubscribing cancels the requests in flight. Throws for an unknown name.
   */
  records<K extends keyof Records & string>(stream: K): Observable<Records[K]>;
  /** A whole sync as Singer messages: SCHEMAs, then RECORDs and STATEs, like the CLI's stdout. */
  messages(options?: MessagesOptions): Observable<SingerMessage>;
}

/**
 * Creates a tap from a config object (the same settings as the CLI's config file). `Records` is trusted,
 * not checked: it must describe the records of `definitions` (see scripts/generate-types.ts).
 */
export function createTap<Records = Readonly<Record<string, SigmaRecord>>>(
  rawConfig: Readonly<Record<string, unknown>>,
  definitions: readonly StreamDefinition[],
  options: TapOptions = {},
): Tap<Records> {
  const config = validateConfig(rawConfig);
  const logger = new Logger(options.log ?? { write: () => true }, options.logLevel ?? 'warn');
  logger.addSecret(config.client_secret);

  const sync = (catalog: Catalog | undefined, state: Record<string, unknown> | undefined, withSchemas: boolean): Observable<SingerMessage> =>
    defer(() => {
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const session = openSyncSession({ config, definitions, logger, ...(catalog ? { catalog } : {}), ...(state ? { state } : {}) });
      const outputs$ = syncStreams(session.plan, { client: session.client, config, logger, state: session.state, whenWritable: () => of(undefined), signal: controller.signal });
      const body$ = outputs$.pipe(
        mergeMap((output): Observable<SingerMessage> => {
          if (output.kind === 'checkpoint') return of(stateMessage(session.state.value()));
          const { stream, records, timeExtracted } = output.batch;
          return from(records.map((record): SingerMessage => ({ type: 'RECORD', stream, record, time_extracted: timeExtracted })));
        }, 1),
      );
      const final$ = defer(() => {
        session.state.finish();
        return of(stateMessage(session.state.value()));
      });
      return concat(withSchemas ? from(session.schemas) : of(), body$, final$).pipe(
        finalize(() => {
          controller.abort();
          session.client.close();
        }),
      );
    });

  return {
    streamNames: definitions.map((d) => d.name as keyof Records & string),
    records: <K extends keyof Records & string>(stream: K): Observable<Records[K]> => {
      const definition = definitions.find((d) => d.name === stream);
      if (!definition) throw new Error(`unknown stream '${stream}'`);
      const only = catalogEntryOf(definition);
      return sync({ streams: [only] }, undefined, false).pipe(
        filter((m): m is Extract<SingerMessage, { type: 'RECORD' }> => m.type === 'RECORD' && m.stream === stream),
        map((m) => m.record as Records[K]),
      );
    },
    messages: (opts = {}) => sync(opts.catalog, opts.state, true),
  };
}
