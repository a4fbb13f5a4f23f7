import { defineStream } from './defineStream.js';

export const userAttributes = defineStream({
  name: 'user_attributes',
  path: '/v2/user-attributes',
  primaryKeys: ['userAttributeId'],
  replicationKey: 'updatedAt',
});

const child = { parent: 'user_attributes', replicationKey: 'updatedAt' } as const;

export const userAttributeStreams = [
  userAttributes,
  defineStream({ ...child, name: 'user_attribute_users', path: '/v2/user-attributes/{userAttributeId}/users', primaryKeys: ['userAttributeId', 'userId'] }),
  defineStream({ ...child, name: 'user_attribute_teams', path: '/v2/user-attributes/{userAttributeId}/teams', primaryKeys: ['userAttributeId', 'teamId'] }),
  defineStream({ ...child, name: 'user_attribute_tenants', path: '/v2/user-attributes/{userAttributeId}/tenants', primaryKeys: ['userAttributeId', 'tenantOrganizationId'] }),
];
