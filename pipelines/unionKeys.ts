import type { DerivedProperty, SigmaRecord } from '../lib/streams/streamDefinition.js';

/** The field that names the node in each variant of Sigma's source and lineage unions, in order of preference. */
const NODE_ID_FIELDS = ['elementId', 'dataModelId', 'datasetId', 'tableId', 'inodeId', 'customSqlId', 'csvId', 'semanticViewId', 'sqlDocumentId', 'worksheetId'];

/**
 * `nodeKey`: "<type>:<id>" for one entry of a sources or lineage union, so the union has a primary key
 * that is never null whatever the variant. Custom SQL lineage nodes have no id: their connection and
 * SQL text identify them.
 */
export const nodeKey: DerivedProperty = {
  schema: { type: 'string' },
  value: (entry: SigmaRecord) => {
    const field = NODE_ID_FIELDS.find((name) => typeof entry[name] === 'string');
    const id = field ? String(entry[field]) : `${String(entry['connectionId'] ?? '')}:${String(entry['definition'] ?? entry['name'] ?? '')}`;
    return `${String(entry['type'] ?? 'unknown')}:${id}`;
  },
};
