import type { Writable } from 'node:stream';
import type { TapConfig } from '../config/tapConfig.js';
import { SigmaClient, type RequestEvent } from '../http/sigmaClient.js';
import type { Logger } from '../log/logger.js';
import type { Catalog } from '../singer/catalog.js';
import { schemaMessage } from '../singer/messages.js';
import { SingerWriter } from '../singer/singerWriter.js';
import { StateTracker } from '../singer/stateTracker.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { flattenPlan, planStreams } from './streamPlan.js';
import { syncStreams } from './syncStreams.js';

export interface RunSyncOptions {
  readonly config: TapConfig;
  readonly definitions: readonly StreamDefinition[];
  readonly catalog?: Catalog;
  readonly state?: Record<string, unknown>;
  readonly output: Writable;
  readonly logger: Logger;
  /** `--test`: one record per stream. */
  readonly sample?: boolean;
  /** Aborting stops fetching; what was fetched is written, then a final STATE. */
  readonly signal?: AbortSignal;
  readonly onRequest?: (event: RequestEvent) => void;
}

export interface SyncSummary {
  readonly records: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly aborted: boolean;
}

/**
 * Runs one sync: SCHEMA for every selected stream first, then RECORDs as pages arrive, a STATE after
 * each top-level stream tree and every `state_message_frequency` records, and a final STATE.
 */
export async function runSync(options: RunSyncOptions): Promise<SyncSummary> {
  const { config, logger } = options;
  const state = new StateTracker(options.state ?? {}, new Date().toISOString());
  const plan = planStreams({ definitions: options.definitions, catalog: options.catalog, config, state, logger });
  const writer = new SingerWriter(options.output);
  let requests = 0;
  const client = new SigmaClient({
    apiUrl: config.api_url,
    clientId: config.client_id,
    clientSecret: config.client_secret,
    concurrency: config.concurrency,
    maxRetries: config.max_retries,
    timeoutMs: config.request_timeout_ms,
    userAgent: config.user_agent,
    logger,
    onRequest: (event) => {
      requests += 1;
      options.onRequest?.(event);
    },
  });
  const records: Record<string, number> = {};
  let sinceState = 0;
  try {
    if (state.hasContent) writer.writeState(state.value());
    for (const stream of flattenPlan(plan)) {
      if (stream.selected) writer.writeMessage(schemaMessage(stream.definition.name, stream.schema, stream.keyProperties, stream.replicationKey));
    }
    const aborted = await new Promise<boolean>((resolve, reject) => {
      const subscription = syncStreams(plan, {
        client,
        config,
        logger,
        state,
        whenWritable: () => writer.whenWritable(),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.sample ? { sample: true } : {}),
      }).subscribe({
        next: (output) => {
          if (output.kind === 'checkpoint') {
            logger.info(`${output.root}: done, with its child streams`);
            if (state.hasContent) writer.writeState(state.value());
            return;
          }
          writer.write(output.batch.text);
          records[output.batch.stream] = (records[output.batch.stream] ?? 0) + output.batch.count;
          sinceState += output.batch.count;
          if (sinceState >= config.state_message_frequency && state.hasContent) {
            sinceState = 0;
            writer.writeState(state.value());
          }
        },
        error: reject,
        complete: () => resolve(false),
      });
      if (options.signal?.aborted) {
        subscription.unsubscribe();
        resolve(true);
      }
      options.signal?.addEventListener('abort', () => {
        subscription.unsubscribe();
        logger.info('stopping: writing the records fetched so far and a final STATE');
        resolve(true);
      });
      writer.onFailure((error) => {
        subscription.unsubscribe();
        reject(error);
      });
    });
    if (!aborted) state.finish();
    if (state.hasContent) writer.writeState(state.value());
    await writer.flush();
    if (writer.failure) throw writer.failure;
    return { records, requests, aborted };
  } finally {
    client.close();
  }
}
