import { defineStream, onlyIf } from './defineStream.js';

export const connections = defineStream({
  name: 'connections',
  path: '/v2/connections',
  primaryKeys: ['connectionId'],
  replicationKey: 'updatedAt',
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true' }),
});

export const connectionStreams = [connections];
