import { defineStream, documentListParams, grantsOf, liveAndArchived } from './defineStream.js';
import { NO_TIMESTAMP, OWN_UPDATED_AT, SCHEDULES, WITH_PARENT, tagApplications } from './replication.js';
import { nodeKey } from './unionKeys.js';

export const reports = defineStream({
  name: 'reports',
  path: '/v2/reports',
  primaryKeys: ['reportId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  rootContexts: liveAndArchived,
  params: documentListParams,
});

const child = { parent: 'reports' } as const;
/** Part of the report's version: read for reports new or changed since the bookmark, in full. */
const versioned = { ...child, replicationReason: `${NO_TIMESTAMP}; read in full for each report this run reads it for`, refresh: WITH_PARENT } as const;

/** Report children page with pageToken/pageSize (Sigma's newer style), except schedules and sources. */
export const reportStreams = [
  reports,
  defineStream({ ...versioned, name: 'report_pages', path: '/v2/reports/{reportId}/pages', primaryKeys: ['reportId', 'pageId'] }),
  defineStream({ ...versioned, name: 'report_page_elements', path: '/v2/reports/{reportId}/pages/{pageId}/elements', parent: 'report_pages', primaryKeys: ['reportId', 'pageId', 'elementId'] }),
  defineStream({ ...versioned, name: 'report_elements', path: '/v2/reports/{reportId}/elements', primaryKeys: ['reportId', 'elementId'] }),
  defineStream({ ...versioned, name: 'report_element_columns', path: '/v2/reports/{reportId}/elements/{elementId}/columns', parent: 'report_elements', primaryKeys: ['reportId', 'elementId', 'columnId'] }),
  defineStream({ ...versioned, name: 'report_columns', path: '/v2/reports/{reportId}/columns', primaryKeys: ['reportId', 'elementId', 'columnId'] }),
  defineStream({ ...versioned, name: 'report_controls', path: '/v2/reports/{reportId}/controls', primaryKeys: ['reportId', 'name'] }),
  defineStream({ ...versioned, name: 'report_queries', path: '/v2/reports/{reportId}/queries', primaryKeys: ['reportId', 'elementId'] }),
  defineStream({ ...versioned, name: 'report_sources', path: '/v2/reports/{reportId}/sources', primaryKeys: ['reportId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...child, ...SCHEDULES, name: 'report_schedules', path: '/v2/reports/{reportId}/schedules', primaryKeys: ['reportId', 'scheduledNotificationId'] }),
  defineStream({ ...child, ...tagApplications('taggedAt'), name: 'report_tags', path: '/v2/reports/{reportId}/tags', primaryKeys: ['reportId', 'versionTagId'] }),
  defineStream({ ...versioned, name: 'report_version_history', path: '/v2/reports/{reportId}/version-history', primaryKeys: ['reportId', 'version'] }),
  defineStream({ ...versioned, name: 'report_lineage', path: '/v2/reports/{reportId}/lineage', primaryKeys: ['reportId', 'nodeKey'], derived: { nodeKey } }),
  grantsOf('report_grants', 'reports', 'reportId'),
];
