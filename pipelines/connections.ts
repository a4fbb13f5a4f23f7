import { defineStream, onlyIf } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, GRANTS, NO_TIMESTAMP, OWN_UPDATED_AT, everyRun } from './replication.js';

export const connections = defineStream({
  name: 'connections',
  path: '/v2/connections',
  primaryKeys: ['connectionId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true' }),
});

export const connectionStreams = [
  connections,
  defineStream({ name: 'connection_grants', path: '/v2/connections/{connectionId}/grants', parent: 'connections', primaryKeys: ['connectionId', 'grantId'], replicationReason: GRANTS, refresh: everyRun(`sharing a connection ${CHANGES_ON_ITS_OWN}`) }),
  defineStream({
    name: 'connection_paths',
    path: '/v2/connections/paths',
    parent: 'connections',
    context: (connection) => (typeof connection['connectionId'] === 'string' ? { connectionId: connection['connectionId'] } : null),
    contextKeys: ['connectionId'],
    params: (_config, context) => ({ connectionId: context['connectionId']! }),
    primaryKeys: ['connectionId', 'urlId'],
    replicationReason: NO_TIMESTAMP,
    refresh: everyRun("the warehouse's tables change without the connection changing"),
  }),
];
