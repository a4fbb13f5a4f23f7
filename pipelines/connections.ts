import { defineStream, onlyIf } from './defineStream.js';

export const connections = defineStream({
  name: 'connections',
  path: '/v2/connections',
  primaryKeys: ['connectionId'],
  replicationKey: 'updatedAt',
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true' }),
});

export const connectionStreams = [
  connections,
  defineStream({ name: 'connection_grants', path: '/v2/connections/{connectionId}/grants', parent: 'connections', primaryKeys: ['connectionId', 'grantId'], replicationKey: 'updatedAt' }),
  defineStream({
    name: 'connection_paths',
    path: '/v2/connections/paths',
    parent: 'connections',
    context: (connection) => (typeof connection['connectionId'] === 'string' ? { connectionId: connection['connectionId'] } : null),
    contextKeys: ['connectionId'],
    params: (_config, context) => ({ connectionId: context['connectionId']! }),
    primaryKeys: ['connectionId', 'urlId'],
  }),
];
