import { defineStream, visibilityParams } from './defineStream.js';

export const dataModels = defineStream({
  name: 'data_models',
  path: '/v2/dataModels',
  primaryKeys: ['dataModelId'],
  replicationKey: 'updatedAt',
  params: visibilityParams,
});

export const dataModelStreams = [dataModels];
