import { defineStream, visibilityParams } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, GRANTS, NO_TIMESTAMP, OWN_UPDATED_AT, WITH_PARENT, everyRun } from './replication.js';

/** Deprecated by Sigma (no new datasets since June 2026) but still listed by organizations that have them. */
export const datasets = defineStream({
  name: 'datasets',
  path: '/v2/datasets',
  primaryKeys: ['datasetId'],
  replicationKey: 'updatedAt',
  replicationReason: OWN_UPDATED_AT,
  params: visibilityParams,
});

const child = { parent: 'datasets' } as const;

export const datasetStreams = [
  datasets,
  defineStream({ ...child, name: 'dataset_grants', path: '/v2/datasets/{datasetId}/grants', primaryKeys: ['datasetId', 'grantId'], replicationReason: GRANTS, refresh: everyRun(`sharing a dataset ${CHANGES_ON_ITS_OWN}`) }),
  defineStream({
    ...child,
    name: 'dataset_materializations',
    path: '/v2/datasets/{datasetId}/materialization',
    primaryKeys: ['datasetId', 'finishedAt'],
    replicationKey: 'finishedAt',
    replicationReason: 'INCREMENTAL on finishedAt: each materialization run is a new entry, finished when it is listed',
    refresh: everyRun(`a materialization run ${CHANGES_ON_ITS_OWN}`),
  }),
  // Sigma answers 404 here for datasets already migrated to data models; that dataset is skipped.
  defineStream({ ...child, name: 'dataset_sources', path: '/v2/datasets/{datasetId}/sources', primaryKeys: ['datasetId', 'inodeId'], replicationReason: NO_TIMESTAMP, refresh: WITH_PARENT }),
];
