import { defineStream, visibilityParams } from './defineStream.js';

/** Deprecated by Sigma (no new datasets since June 2026) but still listed by organizations that have them. */
export const datasets = defineStream({
  name: 'datasets',
  path: '/v2/datasets',
  primaryKeys: ['datasetId'],
  replicationKey: 'updatedAt',
  params: visibilityParams,
});

const child = { parent: 'datasets' } as const;

export const datasetStreams = [
  datasets,
  defineStream({ ...child, name: 'dataset_grants', path: '/v2/datasets/{datasetId}/grants', primaryKeys: ['datasetId', 'grantId'], replicationKey: 'updatedAt' }),
  defineStream({ ...child, name: 'dataset_materializations', path: '/v2/datasets/{datasetId}/materialization', primaryKeys: ['datasetId', 'finishedAt'], replicationKey: 'finishedAt' }),
  // Sigma answers 404 here for datasets already migrated to data models; that dataset is skipped.
  defineStream({ ...child, name: 'dataset_sources', path: '/v2/datasets/{datasetId}/sources', primaryKeys: ['datasetId', 'inodeId'] }),
];
