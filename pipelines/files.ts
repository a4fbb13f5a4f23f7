import type { SigmaRecord } from '../lib/streams/streamDefinition.js';
import { defineStream, grantsOf, onlyIf } from './defineStream.js';

/** Sigma may put `{code, message, requestId}` error objects among the entries of file lists. */
export const isFileEntry = (entry: SigmaRecord): boolean => typeof entry['id'] === 'string';

export const files = defineStream({
  name: 'files',
  path: '/v2/files',
  primaryKeys: ['id'],
  // One listing whatever the method, so FULL_TABLE costs no request.
  replicationReason: "FULL_TABLE: an entry shows the client's permission on the file, which a grant changes without moving updatedAt",
  params: (config) => onlyIf(config.file_type_filters.length > 0, { typeFilters: config.file_type_filters.join(',') }),
  isRecord: isFileEntry,
});

export const fileStreams = [files, grantsOf('folder_grants', 'files', 'id', 'folderId', (file) => file['type'] === 'folder')];
