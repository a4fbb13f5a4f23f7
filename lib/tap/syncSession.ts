import type { TapConfig } from '../config/tapConfig.js';
import { type RequestEvent, SigmaClient } from '../http/sigmaClient.js';
import type { Logger } from '../log/logger.js';
import type { Catalog } from '../singer/catalog.js';
import { type SchemaMessage, schemaMessage } from '../singer/messages.js';
import { StateTracker } from '../singer/stateTracker.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { type PlannedStream, flattenPlan, planStreams } from './streamPlan.js';

export interface SyncSessionOptions {
  readonly config: TapConfig;
  readonly definitions: readonly StreamDefinition[];
  readonly catalog?: Catalog;
  readonly state?: Record<string, unknown>;
  readonly logger: Logger;
  readonly onRequest?: (event: RequestEvent) => void;
}

/** Everything one sync needs, whoever consumes it (the CLI's writer or a library subscriber). */
export interface SyncSession {
  readonly plan: readonly PlannedStream[];
  readonly state: StateTracker;
  readonly client: SigmaClient;
  /** SCHEMA messages of the selected streams, in plan order. */
  readonly schemas: readonly SchemaMessage[];
}

/** Resolves catalog and state against the stream table and opens the HTTP client; close `client` after. */
export function openSyncSession(options: SyncSessionOptions): SyncSession {
  const { config, logger } = options;
  const state = new StateTracker(options.state ?? {}, new Date().toISOString());
  const plan = planStreams({ definitions: options.definitions, catalog: options.catalog, config, state, logger });
  const client = SigmaClient.fromConfig(config, logger, options.onRequest);
  const schemas = flattenPlan(plan)
    .filter((stream) => stream.selected)
    .map((stream) => schemaMessage(stream.definition.name, stream.schema, stream.keyProperties, stream.replicationKey));
  return { plan, state, client, schemas };
}
