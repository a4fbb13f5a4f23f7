import { defineStream } from './defineStream.js';

export const teams = defineStream({
  name: 'teams',
  path: '/v2.1/teams',
  primaryKeys: ['teamId'],
  replicationKey: 'updatedAt',
});

export const teamStreams = [
  teams,
  defineStream({ name: 'team_members', path: '/v2/teams/{teamId}/members', parent: 'teams', primaryKeys: ['teamId', 'userId'] }),
  defineStream({ name: 'team_user_attributes', path: '/v2/teams/{teamId}/user-attributes', parent: 'teams', primaryKeys: ['teamId', 'userAttributeId'] }),
];
