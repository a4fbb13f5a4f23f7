import { defineStream, documentListParams, grantsOf, liveAndArchived } from './defineStream.js';
import { nodeKey } from './unionKeys.js';

export const reports = defineStream({
  name: 'reports',
  path: '/v2/reports',
  primaryKeys: ['reportId'],
  replicationKey: 'updatedAt',
  rootContexts: liveAndArchived,
  params: documentListParams,
});

const child = { parent: 'reports' } as const;

/** Report children page with pageToken/pageSize (Sigma's newer style), except schedules and sources. */
export const reportStreams = [
  reports,
  defineStream({ ...child, name: 'report_pages', path: '/v2/reports/{reportId}/pages', primaryKeys: ['reportId', 'pageId'] }),
  defineStream({ name: 'report_page_elements', path: '/v2/reports/{reportId}/pages/{pageId}/elements', parent: 'report_pages', primaryKeys: ['reportId', 'pageId', 'elementId'] }),
  defineStream({ ...child, name: 'report_elements', path: '/v2/reports/{reportId}/elements', primaryKeys: ['reportId', 'elementId'] }),
  defineStream({ name: 'report_element_columns', path: '/v2/reports/{reportId}/elements/{elementId}/columns', parent: 'report_elements', primaryKeys: ['reportId', 'elementId', 'columnId'] }),
  defineStream({ ...child, name: 'report_columns', path: '/v2/reports/{reportId}/columns', primaryKeys: ['reportId', 'elementId', 'columnId'] }),
  defineStream({ ...child, name: 'report_controls', path: '/v2/reports/{reportId}/controls', primaryKeys: ['reportId', 'name'] }),
  defineStream({ ...child, name: 'report_queries', path: '/v2/reports/{reportId}/queries', primaryKeys: ['reportId', 'elementId'] }),
  defineStream({ ...child, name: 'report_sources', path: '/v2/reports/{reportId}/sources', primaryKeys: ['reportId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...child, name: 'report_schedules', path: '/v2/reports/{reportId}/schedules', primaryKeys: ['reportId', 'scheduledNotificationId'], replicationKey: 'updatedAt' }),
  defineStream({ ...child, name: 'report_tags', path: '/v2/reports/{reportId}/tags', primaryKeys: ['reportId', 'versionTagId'], replicationKey: 'taggedAt' }),
  defineStream({ ...child, name: 'report_version_history', path: '/v2/reports/{reportId}/version-history', primaryKeys: ['reportId', 'version'], replicationKey: 'publishedAt' }),
  defineStream({ ...child, name: 'report_lineage', path: '/v2/reports/{reportId}/lineage', primaryKeys: ['reportId', 'nodeKey'], derived: { nodeKey } }),
  grantsOf('report_grants', 'reports', 'reportId'),
];
