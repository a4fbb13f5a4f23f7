import type { DerivedProperty } from '../lib/streams/streamDefinition.js';
import { defineStream } from './defineStream.js';
import { NO_TIMESTAMP, OWN_UPDATED_AT, RELATIONSHIP, everyRun } from './replication.js';

/** `lng|lng_variant` (`fr|` for plain French): one non-null key for a language and its variant. */
const translationKey: DerivedProperty = {
  schema: { type: 'string' },
  value: (entry) => `${String(entry['lng'] ?? '')}|${typeof entry['lng_variant'] === 'string' ? entry['lng_variant'] : ''}`,
};

export const organizationStreams = [
  defineStream({ name: 'whoami', path: '/v2/whoami', primaryKeys: ['userId'], replicationReason: NO_TIMESTAMP }),
  // Admin only, like their permissions.
  defineStream({ name: 'account_types', path: '/v2/accountTypes', primaryKeys: ['accountTypeId'], replicationReason: NO_TIMESTAMP }),
  defineStream({ name: 'account_type_permissions', path: '/v2/accountTypes/{accountTypeId}/permissions', parent: 'account_types', primaryKeys: ['accountTypeId', 'permission'], replicationReason: NO_TIMESTAMP, refresh: everyRun('the account type has no timestamp to follow') }),
  defineStream({ name: 'tags', path: '/v2/tags', primaryKeys: ['versionTagId'], replicationKey: 'updatedAt', replicationReason: OWN_UPDATED_AT }),
  defineStream({
    name: 'tag_workbooks',
    path: '/v2/tags/{tagId}/workbooks',
    parent: 'tags',
    context: (tag) => (typeof tag['versionTagId'] === 'string' ? { tagId: tag['versionTagId'] } : null),
    contextKeys: ['tagId'],
    primaryKeys: ['tagId', 'workbookId'],
    replicationReason: RELATIONSHIP,
    refresh: everyRun('applying a tag to a workbook leaves the tag as it was'),
  }),
  defineStream({ name: 'templates', path: '/v2/templates', primaryKeys: ['templateId'], replicationKey: 'updatedAt', replicationReason: OWN_UPDATED_AT }),
  defineStream({ name: 'shared_templates', path: '/v2/shared_templates/shared_with_you', primaryKeys: ['shareId'], replicationReason: 'FULL_TABLE: only createdAt, which does not move when the share is accepted or described' }),
  // A language without a variant has lng_variant null, and loaders refuse null in a key column.
  defineStream({ name: 'translations', path: '/v2/translations/organization', primaryKeys: ['translationKey'], replicationKey: 'updatedAt', replicationReason: OWN_UPDATED_AT, derived: { translationKey } }),
  defineStream({ name: 'source_swap_policies', path: '/v2/sourceSwapPolicies', primaryKeys: ['policyId'], replicationReason: NO_TIMESTAMP }),
];
