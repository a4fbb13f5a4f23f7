import { defineStream, grantsOf, visibilityParams } from './defineStream.js';
import { MATERIALIZATION_SCHEDULES, NO_TIMESTAMP, OWN_UPDATED_AT, WITH_PARENT, tagApplications } from './replication.js';
import { nodeKey } from './unionKeys.js';

/** /v2/dataModels lists archived data models too (flagged isArchived); there is no archived-only listing. */
export const dataModels = defineStream({
  name: 'data_models',
  path: '/v2/dataModels',
  primaryKeys: ['dataModelId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  params: visibilityParams,
});

const child = { parent: 'data_models' } as const;
/** Part of the data model's version: read for data models new or changed since the bookmark, in full. */
const versioned = { ...child, replicationReason: `${NO_TIMESTAMP}; read in full for each data model this run reads it for`, refresh: WITH_PARENT } as const;

export const dataModelStreams = [
  dataModels,
  defineStream({ ...versioned, name: 'data_model_columns', path: '/v2/dataModels/{dataModelId}/columns', primaryKeys: ['dataModelId', 'elementId', 'columnId'] }),
  defineStream({ ...versioned, name: 'data_model_elements', path: '/v2/dataModels/{dataModelId}/elements', primaryKeys: ['dataModelId', 'elementId'] }),
  defineStream({ ...versioned, name: 'data_model_sources', path: '/v2/dataModels/{dataModelId}/sources', primaryKeys: ['dataModelId', 'nodeKey'], derived: { nodeKey } }),
  defineStream({ ...child, ...MATERIALIZATION_SCHEDULES, name: 'data_model_materialization_schedules', path: '/v2/dataModels/{dataModelId}/materializationSchedules', primaryKeys: ['dataModelId', 'sheetId'] }),
  defineStream({ ...child, ...tagApplications('taggedAt'), name: 'data_model_tags', path: '/v2/dataModels/{dataModelId}/tags', primaryKeys: ['dataModelId', 'versionTagId'] }),
  defineStream({ ...versioned, name: 'data_model_lineage', path: '/v2/dataModels/{dataModelId}/lineage', primaryKeys: ['dataModelId', 'nodeKey'], derived: { nodeKey } }),
  grantsOf('data_model_grants', 'data_models', 'dataModelId'),
];
