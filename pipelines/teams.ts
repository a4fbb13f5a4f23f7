import { defineStream } from './defineStream.js';

export const teams = defineStream({
  name: 'teams',
  path: '/v2.1/teams',
  primaryKeys: ['teamId'],
  replicationKey: 'updatedAt',
});

export const teamStreams = [teams];
