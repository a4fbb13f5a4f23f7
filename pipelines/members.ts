import { defineStream, onlyIf } from './defineStream.js';

/** The /v2.1 twin always paginates; /v2/members answers a bare array when `limit` is missing. */
export const members = defineStream({
  name: 'members',
  path: '/v2.1/members',
  primaryKeys: ['memberId'],
  replicationKey: 'updatedAt',
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true', includeInactive: 'true' }),
});

export const favorites = defineStream({
  name: 'favorites',
  path: '/v2/favorites/member/{memberId}',
  parent: 'members',
  primaryKeys: ['memberId', 'id'],
  replicationKey: 'updatedAt',
});

export const memberStreams = [members, favorites];
