import { defineStream, grantsOf, visibilityParams } from './defineStream.js';
import { nodeKey } from './unionKeys.js';

/** /v2/dataModels lists archived data models too (flagged isArchived); there is no archived-only listing. */
export const dataModels = defineStream({
  name: 'data_models',
  path: '/v2/dataModels',
  primaryKeys: ['dataModelId'],
  replicationKey: 'updatedAt',
  params: visibilityParams,
});

const child = { parent: 'data_models' } as const;

export const dataModelStreams = [
  dataModels,
  defineStream({ ...child, name: 'data_model_columns', path: '/v2/dataModels/{dataModelId}/columns', primaryKeys: ['dataModelId', 'elementId', 'columnId'] }),
  defineStream({ ...child, name: 'data_model_elements', path: '/v2/dataModels/{dataModelId}/elements', primaryKeys: ['dataModelId', 'elementId'] }),
  defineStream({ ...child, name: 'data_model_sources', path: '/v2/dataModels/{dataModelId}/sources', primaryKeys: ['dataModelId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...child, name: 'data_model_materialization_schedules', path: '/v2/dataModels/{dataModelId}/materializationSchedules', primaryKeys: ['dataModelId', 'sheetId'], replicationKey: 'configuredAt' }),
  defineStream({ ...child, name: 'data_model_tags', path: '/v2/dataModels/{dataModelId}/tags', primaryKeys: ['dataModelId', 'versionTagId'], replicationKey: 'taggedAt' }),
  defineStream({ ...child, name: 'data_model_lineage', path: '/v2/dataModels/{dataModelId}/lineage', primaryKeys: ['dataModelId', 'nodeKey'], derived: { nodeKey } }),
  grantsOf('data_model_grants', 'data_models', 'dataModelId'),
];
