import { defineStream, onlyIf } from './defineStream.js';
import { isFileEntry } from './files.js';

/** The /v2.1 twin always paginates; /v2/members answers a bare array when `limit` is missing. */
export const members = defineStream({
  name: 'members',
  path: '/v2.1/members',
  primaryKeys: ['memberId'],
  replicationKey: 'updatedAt',
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true', includeInactive: 'true' }),
});

const child = { parent: 'members' } as const;

export const memberStreams = [
  members,
  defineStream({ ...child, name: 'favorites', path: '/v2/favorites/member/{memberId}', primaryKeys: ['memberId', 'id'], replicationKey: 'updatedAt' }),
  // Admin only: a non-admin client gets 403 per member, logged and skipped.
  defineStream({ ...child, name: 'member_teams', path: '/v2/members/{memberId}/teams', primaryKeys: ['memberId', 'teamId'] }),
  defineStream({ ...child, name: 'member_files', path: '/v2/members/{memberId}/files', primaryKeys: ['memberId', 'id'], replicationKey: 'updatedAt', isRecord: isFileEntry }),
  defineStream({ ...child, name: 'member_favorite_files', path: '/v2/members/{memberId}/files/favorites', primaryKeys: ['memberId', 'id'], replicationKey: 'updatedAt', isRecord: isFileEntry }),
  defineStream({ ...child, name: 'member_recent_files', path: '/v2/members/{memberId}/files/recents', primaryKeys: ['memberId', 'id'], isRecord: isFileEntry }),
  defineStream({ ...child, name: 'member_schedules', path: '/v2/members/{memberId}/schedules', primaryKeys: ['memberId', 'scheduledNotificationId'], replicationKey: 'updatedAt' }),
];
