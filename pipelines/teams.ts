import { defineStream } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, NO_TIMESTAMP, OWN_UPDATED_AT, RELATIONSHIP, everyRun } from './replication.js';

export const teams = defineStream({
  name: 'teams',
  path: '/v2.1/teams',
  primaryKeys: ['teamId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
});

export const teamStreams = [
  teams,
  defineStream({ name: 'team_members', path: '/v2/teams/{teamId}/members', parent: 'teams', primaryKeys: ['teamId', 'userId'], replicationReason: RELATIONSHIP, refresh: everyRun(`membership ${CHANGES_ON_ITS_OWN}`) }),
  defineStream({ name: 'team_user_attributes', path: '/v2/teams/{teamId}/user-attributes', parent: 'teams', primaryKeys: ['teamId', 'userAttributeId'], replicationReason: NO_TIMESTAMP, refresh: everyRun(`an assignment ${CHANGES_ON_ITS_OWN}`) }),
];
