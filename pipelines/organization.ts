import { defineStream } from './defineStream.js';

export const whoami = defineStream({
  name: 'whoami',
  path: '/v2/whoami',
  primaryKeys: ['userId'],
});

/** Admin only. */
export const accountTypes = defineStream({
  name: 'account_types',
  path: '/v2/accountTypes',
  primaryKeys: ['accountTypeId'],
});

export const tags = defineStream({
  name: 'tags',
  path: '/v2/tags',
  primaryKeys: ['versionTagId'],
  replicationKey: 'updatedAt',
});

export const userAttributes = defineStream({
  name: 'user_attributes',
  path: '/v2/user-attributes',
  primaryKeys: ['userAttributeId'],
  replicationKey: 'updatedAt',
});

export const organizationStreams = [whoami, accountTypes, tags, userAttributes];
