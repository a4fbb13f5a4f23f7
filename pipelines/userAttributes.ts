import { defineStream } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, OWN_UPDATED_AT, everyRun } from './replication.js';

export const userAttributes = defineStream({
  name: 'user_attributes',
  path: '/v2/user-attributes',
  primaryKeys: ['userAttributeId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
});

/** An assignment of a value is an object of its own: assigning or changing the value moves its updatedAt. */
const child = {
  parent: 'user_attributes',
  replicationKey: 'updatedAt',
  replicationReason: 'INCREMENTAL on updatedAt: an assignment is an object of its own, whose updatedAt moves when its value changes',
  refresh: everyRun(`an assignment ${CHANGES_ON_ITS_OWN}`),
} as const;

export const userAttributeStreams = [
  userAttributes,
  defineStream({ ...child, name: 'user_attribute_users', path: '/v2/user-attributes/{userAttributeId}/users', primaryKeys: ['userAttributeId', 'userId'] }),
  defineStream({ ...child, name: 'user_attribute_teams', path: '/v2/user-attributes/{userAttributeId}/teams', primaryKeys: ['userAttributeId', 'teamId'] }),
  defineStream({ ...child, name: 'user_attribute_tenants', path: '/v2/user-attributes/{userAttributeId}/tenants', primaryKeys: ['userAttributeId', 'tenantOrganizationId'] }),
];
