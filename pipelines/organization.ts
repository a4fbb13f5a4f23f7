import type { DerivedProperty } from '../lib/streams/streamDefinition.js';
import { defineStream } from './defineStream.js';

/** `lng|lng_variant` (`fr|` for plain French): one non-null key for a language and its variant. */
const translationKey: DerivedProperty = {
  schema: { type: 'string' },
  value: (entry) => `${String(entry['lng'] ?? '')}|${typeof entry['lng_variant'] === 'string' ? entry['lng_variant'] : ''}`,
};

export const organizationStreams = [
  defineStream({ name: 'whoami', path: '/v2/whoami', primaryKeys: ['userId'] }),
  // Admin only, like their permissions.
  defineStream({ name: 'account_types', path: '/v2/accountTypes', primaryKeys: ['accountTypeId'] }),
  defineStream({ name: 'account_type_permissions', path: '/v2/accountTypes/{accountTypeId}/permissions', parent: 'account_types', primaryKeys: ['accountTypeId', 'permission'] }),
  defineStream({ name: 'tags', path: '/v2/tags', primaryKeys: ['versionTagId'], replicationKey: 'updatedAt' }),
  defineStream({
    name: 'tag_workbooks',
    path: '/v2/tags/{tagId}/workbooks',
    parent: 'tags',
    context: (tag) => (typeof tag['versionTagId'] === 'string' ? { tagId: tag['versionTagId'] } : null),
    contextKeys: ['tagId'],
    primaryKeys: ['tagId', 'workbookId'],
  }),
  defineStream({ name: 'templates', path: '/v2/templates', primaryKeys: ['templateId'], replicationKey: 'updatedAt' }),
  defineStream({ name: 'shared_templates', path: '/v2/shared_templates/shared_with_you', primaryKeys: ['shareId'], replicationKey: 'createdAt' }),
  // A language without a variant has lng_variant null, and loaders refuse null in a key column.
  defineStream({ name: 'translations', path: '/v2/translations/organization', primaryKeys: ['translationKey'], replicationKey: 'updatedAt', derived: { translationKey } }),
  defineStream({ name: 'source_swap_policies', path: '/v2/sourceSwapPolicies', primaryKeys: ['policyId'] }),
];
