import { defineStream } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, GRANTS, OWN_UPDATED_AT, everyRun } from './replication.js';

export const workspaces = defineStream({
  name: 'workspaces',
  path: '/v2.1/workspaces',
  primaryKeys: ['workspaceId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
});

export const workspaceStreams = [
  workspaces,
  defineStream({ name: 'workspace_grants', path: '/v2/workspaces/{workspaceId}/grants', parent: 'workspaces', primaryKeys: ['workspaceId', 'grantId'], replicationReason: GRANTS, refresh: everyRun(`sharing a workspace ${CHANGES_ON_ITS_OWN}`) }),
];
