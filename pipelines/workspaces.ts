import { defineStream } from './defineStream.js';

export const workspaces = defineStream({
  name: 'workspaces',
  path: '/v2.1/workspaces',
  primaryKeys: ['workspaceId'],
  replicationKey: 'updatedAt',
});

export const workspaceStreams = [
  workspaces,
  defineStream({ name: 'workspace_grants', path: '/v2/workspaces/{workspaceId}/grants', parent: 'workspaces', primaryKeys: ['workspaceId', 'grantId'], replicationKey: 'updatedAt' }),
];
