import { defineStream, documentListParams, grantsOf, liveAndArchived } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, MATERIALIZATION_SCHEDULES, NO_TIMESTAMP, OWN_UPDATED_AT, SCHEDULES, WITH_PARENT, everyRun, tagApplications } from './replication.js';
import { nodeKey } from './unionKeys.js';

export const workbooks = defineStream({
  name: 'workbooks',
  path: '/v2/workbooks',
  primaryKeys: ['workbookId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  rootContexts: liveAndArchived,
  params: documentListParams,
});

const child = { parent: 'workbooks' } as const;
/** Part of the workbook's version: read for workbooks new or changed since the bookmark, in full. */
const versioned = { ...child, replicationReason: `${NO_TIMESTAMP}; read in full for each workbook this run reads it for`, refresh: WITH_PARENT } as const;

export const workbookStreams = [
  workbooks,
  defineStream({ ...versioned, name: 'workbook_pages', path: '/v2/workbooks/{workbookId}/pages', primaryKeys: ['workbookId', 'pageId'] }),
  defineStream({ ...versioned, name: 'workbook_page_elements', path: '/v2/workbooks/{workbookId}/pages/{pageId}/elements', parent: 'workbook_pages', primaryKeys: ['workbookId', 'pageId', 'elementId'] }),
  defineStream({ ...versioned, name: 'workbook_elements', path: '/v2/workbooks/{workbookId}/elements', primaryKeys: ['workbookId', 'elementId'] }),
  defineStream({ ...versioned, name: 'workbook_element_columns', path: '/v2/workbooks/{workbookId}/elements/{elementId}/columns', parent: 'workbook_elements', primaryKeys: ['workbookId', 'elementId', 'columnId'] }),
  defineStream({ ...versioned, name: 'workbook_columns', path: '/v2/workbooks/{workbookId}/columns', primaryKeys: ['workbookId', 'elementId', 'columnId'] }),
  defineStream({ ...versioned, name: 'workbook_controls', path: '/v2/workbooks/{workbookId}/controls', primaryKeys: ['workbookId', 'name'] }),
  defineStream({ ...versioned, name: 'workbook_queries', path: '/v2/workbooks/{workbookId}/queries', primaryKeys: ['workbookId', 'elementId'] }),
  defineStream({ ...versioned, name: 'workbook_sources', path: '/v2/workbooks/{workbookId}/sources', primaryKeys: ['workbookId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...versioned, name: 'workbook_lineage', path: '/v2/workbooks/{workbookId}/lineage', primaryKeys: ['workbookId', 'nodeKey'], derived: { nodeKey } }),
  // Each publish adds an entry; a tag applied to an old version shows in that entry (and moves the workbook's updatedAt).
  defineStream({ ...versioned, name: 'workbook_version_history', path: '/v2/workbooks/{workbookId}/version-history', primaryKeys: ['workbookId', 'version'] }),
  defineStream({ ...child, ...tagApplications('workbookTaggedAt'), name: 'workbook_tags', path: '/v2/workbooks/{workbookId}/tags', primaryKeys: ['workbookId', 'versionTagId'] }),
  defineStream({
    name: 'workbook_tag_bookmarks',
    path: '/v2/workbooks/{workbookId}/tags/{tagName}/bookmarks',
    parent: 'workbook_tags',
    context: (tag) => (typeof tag['workbookId'] === 'string' && typeof tag['name'] === 'string' ? { workbookId: tag['workbookId'], tagName: tag['name'] } : null),
    contextKeys: ['workbookId', 'tagName'],
    primaryKeys: ['workbookId', 'tagName', 'bookmarkId'],
    replicationReason: NO_TIMESTAMP,
    refresh: { rule: 'with-parent', reason: 'a tagged version never changes: its bookmarks are read when the tag is (re)applied' },
  }),
  defineStream({ ...child, ...SCHEDULES, name: 'workbook_schedules', path: '/v2.1/workbooks/{workbookId}/schedules', primaryKeys: ['workbookId', 'scheduledNotificationId'] }),
  defineStream({ ...child, ...MATERIALIZATION_SCHEDULES, name: 'workbook_materialization_schedules', path: '/v2.1/workbooks/{workbookId}/materialization-schedules', primaryKeys: ['workbookId', 'sheetId'] }),
  defineStream({
    ...child,
    name: 'workbook_bookmarks',
    path: '/v2/workbooks/{workbookId}/bookmarks',
    primaryKeys: ['workbookId', 'bookmarkId'],
    replicationReason: NO_TIMESTAMP,
    refresh: everyRun(`a bookmark ${CHANGES_ON_ITS_OWN}: Sigma lets viewers create bookmarks in View mode, which publishes nothing`),
  }),
  defineStream({
    ...child,
    name: 'workbook_embeds',
    path: '/v2/workbooks/{workbookId}/embeds',
    primaryKeys: ['workbookId', 'embedId'],
    replicationReason: NO_TIMESTAMP,
    refresh: everyRun(`an embed ${CHANGES_ON_ITS_OWN}: an admin generates its path for a workbook already published`),
  }),
  grantsOf('workbook_grants', 'workbooks', 'workbookId'),
];
