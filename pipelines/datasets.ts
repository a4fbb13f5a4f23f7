import { defineStream, visibilityParams } from './defineStream.js';

/** Deprecated by Sigma (no new datasets since June 2026) but still listed by organizations that have them. */
export const datasets = defineStream({
  name: 'datasets',
  path: '/v2/datasets',
  primaryKeys: ['datasetId'],
  replicationKey: 'updatedAt',
  params: visibilityParams,
});

export const datasetStreams = [datasets];
