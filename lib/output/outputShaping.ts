import type { OutputItem, OutputShaping } from './singerOutput.js';
import type { StreamOutputs } from './streamOutputs.js';
import type { TableVersions } from './tableVersions.js';

/**
 * Stream maps and flattening, then table versions, as one step of the Singer output; undefined when
 * neither applies, so that the output path does nothing per batch.
 * @see compileStreamOutputs
 * @see tableVersions
 */
export function outputShaping(outputs: StreamOutputs, versions: TableVersions | undefined): OutputShaping | undefined {
  const { mapBatch } = outputs;
  if (mapBatch === undefined && versions === undefined) return undefined;
  return {
    records: (batch) => {
      const batches = mapBatch ? mapBatch(batch) : [batch];
      return versions ? batches.flatMap((b) => versions.stamp(b)) : batches.map((b): OutputItem => ({ kind: 'records', batch: b }));
    },
    treeDone: (root) => versions?.treeDone(root) ?? [],
  };
}
