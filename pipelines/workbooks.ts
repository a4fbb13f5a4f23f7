import { defineStream, visibilityParams } from './defineStream.js';

export const workbooks = defineStream({
  name: 'workbooks',
  path: '/v2/workbooks',
  primaryKeys: ['workbookId'],
  replicationKey: 'updatedAt',
  params: visibilityParams,
});

export const workbookPages = defineStream({
  name: 'workbook_pages',
  path: '/v2/workbooks/{workbookId}/pages',
  parent: 'workbooks',
  primaryKeys: ['workbookId', 'pageId'],
});

export const workbookStreams = [workbooks, workbookPages];
