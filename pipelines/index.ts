import type { StreamDefinition } from '../lib/streams/streamDefinition.js';
import { connectionStreams } from './connections.js';
import { dataModelStreams } from './dataModels.js';
import { datasetStreams } from './datasets.js';
import { fileStreams } from './files.js';
import { integrationStreams } from './integrations.js';
import { memberStreams } from './members.js';
import { organizationStreams } from './organization.js';
import { reportStreams } from './reports.js';
import { teamStreams } from './teams.js';
import { tenantStreams } from './tenants.js';
import { userAttributeStreams } from './userAttributes.js';
import { workbookStreams } from './workbooks.js';
import { workspaceStreams } from './workspaces.js';

/** Every stream of the tap: discovery, catalog selection, the sync and spec/ all read this one table. */
export const streams: readonly StreamDefinition[] = [
  ...connectionStreams,
  ...dataModelStreams,
  ...datasetStreams,
  ...fileStreams,
  ...integrationStreams,
  ...memberStreams,
  ...organizationStreams,
  ...reportStreams,
  ...teamStreams,
  ...tenantStreams,
  ...userAttributeStreams,
  ...workbookStreams,
  ...workspaceStreams,
].sort((a, b) => a.name.localeCompare(b.name));
