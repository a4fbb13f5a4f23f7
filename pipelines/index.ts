import type { StreamDefinition } from '../lib/streams/streamDefinition.js';
import { connectionStreams } from './connections.js';
import { dataModelStreams } from './dataModels.js';
import { datasetStreams } from './datasets.js';
import { fileStreams } from './files.js';
import { memberStreams } from './members.js';
import { organizationStreams } from './organization.js';
import { teamStreams } from './teams.js';
import { workbookStreams } from './workbooks.js';

/** Every stream of the tap: discovery, catalog selection, the sync and spec/ all read this one table. */
export const streams: readonly StreamDefinition[] = [
  ...connectionStreams,
  ...dataModelStreams,
  ...datasetStreams,
  ...fileStreams,
  ...memberStreams,
  ...organizationStreams,
  ...teamStreams,
  ...workbookStreams,
].sort((a, b) => a.name.localeCompare(b.name));
