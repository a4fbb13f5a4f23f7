import type { TapConfig } from '../config/tapConfig.js';
import type { SigmaClient } from '../http/sigmaClient.js';
import { type Catalog, streamId } from '../singer/catalog.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import { discoverExport } from './discoverExport.js';
import { catalogExportDefinition } from './exportDefinition.js';
import { exportStreamName } from './parseExportEntries.js';

/**
 * The streams of the `exports` setting that a sync of `catalog` reads. An entry the catalog holds
 * with a schema takes that schema, as Singer wants (no request); one the catalog leaves out is not
 * read; without a catalog, every entry is read and its schema discovered from the element's columns.
 * Credentials are checked first, so a wrong secret is reported as such rather than as a discovery
 * failure of the first export.
 */
export async function exportDefinitions(client: SigmaClient, config: TapConfig, catalog: Catalog | undefined, signal?: AbortSignal): Promise<StreamDefinition[]> {
  const plans = config.exports.flatMap((entry) => {
    if (!catalog) return [{ entry, schema: undefined }];
    const found = catalog.streams.find((candidate) => streamId(candidate) === exportStreamName(entry.name));
    return found ? [{ entry, schema: found.schema?.properties ? found.schema : undefined }] : [];
  });
  if (plans.some((plan) => plan.schema === undefined)) await client.verifyCredentials(signal);
  return Promise.all(plans.map(({ entry, schema }) => (schema ? catalogExportDefinition(entry, schema) : discoverExport(client, entry, config, signal))));
}
