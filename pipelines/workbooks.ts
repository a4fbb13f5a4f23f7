import { defineStream, documentListParams, grantsOf, liveAndArchived } from './defineStream.js';
import { nodeKey } from './unionKeys.js';

export const workbooks = defineStream({
  name: 'workbooks',
  path: '/v2/workbooks',
  primaryKeys: ['workbookId'],
  replicationKey: 'updatedAt',
  rootContexts: liveAndArchived,
  params: documentListParams,
});

const child = { parent: 'workbooks' } as const;

export const workbookStreams = [
  workbooks,
  defineStream({ ...child, name: 'workbook_pages', path: '/v2/workbooks/{workbookId}/pages', primaryKeys: ['workbookId', 'pageId'] }),
  defineStream({ name: 'workbook_page_elements', path: '/v2/workbooks/{workbookId}/pages/{pageId}/elements', parent: 'workbook_pages', primaryKeys: ['workbookId', 'pageId', 'elementId'] }),
  defineStream({ ...child, name: 'workbook_elements', path: '/v2/workbooks/{workbookId}/elements', primaryKeys: ['workbookId', 'elementId'] }),
  defineStream({ name: 'workbook_element_columns', path: '/v2/workbooks/{workbookId}/elements/{elementId}/columns', parent: 'workbook_elements', primaryKeys: ['workbookId', 'elementId', 'columnId'] }),
  defineStream({ ...child, name: 'workbook_columns', path: '/v2/workbooks/{workbookId}/columns', primaryKeys: ['workbookId', 'elementId', 'columnId'] }),
  defineStream({ ...child, name: 'workbook_controls', path: '/v2/workbooks/{workbookId}/controls', primaryKeys: ['workbookId', 'name'] }),
  defineStream({ ...child, name: 'workbook_queries', path: '/v2/workbooks/{workbookId}/queries', primaryKeys: ['workbookId', 'elementId'] }),
  defineStream({ ...child, name: 'workbook_sources', path: '/v2/workbooks/{workbookId}/sources', primaryKeys: ['workbookId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...child, name: 'workbook_tags', path: '/v2/workbooks/{workbookId}/tags', primaryKeys: ['workbookId', 'versionTagId'], replicationKey: 'workbookTaggedAt' }),
  defineStream({
    name: 'workbook_tag_bookmarks',
    path: '/v2/workbooks/{workbookId}/tags/{tagName}/bookmarks',
    parent: 'workbook_tags',
    context: (tag) => (typeof tag['workbookId'] === 'string' && typeof tag['name'] === 'string' ? { workbookId: tag['workbookId'], tagName: tag['name'] } : null),
    contextKeys: ['workbookId', 'tagName'],
    primaryKeys: ['workbookId', 'tagName', 'bookmarkId'],
  }),
  defineStream({ ...child, name: 'workbook_version_history', path: '/v2/workbooks/{workbookId}/version-history', primaryKeys: ['workbookId', 'version'], replicationKey: 'publishedAt' }),
  defineStream({ ...child, name: 'workbook_schedules', path: '/v2.1/workbooks/{workbookId}/schedules', primaryKeys: ['workbookId', 'scheduledNotificationId'], replicationKey: 'updatedAt' }),
  defineStream({ ...child, name: 'workbook_materialization_schedules', path: '/v2.1/workbooks/{workbookId}/materialization-schedules', primaryKeys: ['workbookId', 'sheetId'], replicationKey: 'configuredAt' }),
  defineStream({ ...child, name: 'workbook_bookmarks', path: '/v2/workbooks/{workbookId}/bookmarks', primaryKeys: ['workbookId', 'bookmarkId'] }),
  defineStream({ ...child, name: 'workbook_embeds', path: '/v2/workbooks/{workbookId}/embeds', primaryKeys: ['workbookId', 'embedId'] }),
  defineStream({ ...child, name: 'workbook_lineage', path: '/v2/workbooks/{workbookId}/lineage', primaryKeys: ['workbookId', 'nodeKey'], derived: { nodeKey } }),
  grantsOf('workbook_grants', 'workbooks', 'workbookId'),
];
