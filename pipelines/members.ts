import { defineStream, onlyIf } from './defineStream.js';
import { isFileEntry } from './files.js';
import { CHANGES_ON_ITS_OWN, OWN_UPDATED_AT, RELATIONSHIP, SCHEDULES, everyRun } from './replication.js';

/** The /v2.1 twin always paginates; /v2/members answers a bare array when `limit` is missing. */
export const members = defineStream({
  name: 'members',
  path: '/v2.1/members',
  primaryKeys: ['memberId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  params: (config) => onlyIf(config.include_archived, { includeArchived: 'true', includeInactive: 'true' }),
});

/** What a member sees, favours or opened: relationships that change without the member changing. */
const view = { parent: 'members', replicationReason: RELATIONSHIP, refresh: everyRun(`what a member sees ${CHANGES_ON_ITS_OWN}`) } as const;

export const memberStreams = [
  members,
  defineStream({ ...view, name: 'favorites', path: '/v2/favorites/member/{memberId}', primaryKeys: ['memberId', 'id'] }),
  // Admin only: a non-admin client gets 403 per member, counted and skipped.
  defineStream({ ...view, name: 'member_teams', path: '/v2/members/{memberId}/teams', primaryKeys: ['memberId', 'teamId'] }),
  defineStream({ ...view, name: 'member_files', path: '/v2/members/{memberId}/files', primaryKeys: ['memberId', 'id'], isRecord: isFileEntry }),
  defineStream({ ...view, name: 'member_favorite_files', path: '/v2/members/{memberId}/files/favorites', primaryKeys: ['memberId', 'id'], isRecord: isFileEntry }),
  defineStream({ ...view, name: 'member_recent_files', path: '/v2/members/{memberId}/files/recents', primaryKeys: ['memberId', 'id'], isRecord: isFileEntry }),
  defineStream({ ...SCHEDULES, name: 'member_schedules', path: '/v2/members/{memberId}/schedules', parent: 'members', primaryKeys: ['memberId', 'scheduledNotificationId'] }),
];
