import type { StreamDefinition } from '../lib/streams/streamDefinition.js';

const STYLE: Record<StreamDefinition['pagination'], string> = {
  pageLimit: 'page/limit',
  pageToken: 'pageToken',
  array: 'bare array',
  arrayOrEnvelope: 'page/limit',
  single: 'single object',
};

/** The README's stream table, one row per stream, header first. */
export function streamTableRows(streams: readonly StreamDefinition[]): string[] {
  return [
    '| stream | endpoint | paging | primary key | parent | replication key |',
    '|---|---|---|---|---|---|',
    ...streams.map(
      (s) => `| \`${s.name}\` | \`${s.path}\` | ${STYLE[s.pagination]} | ${s.primaryKeys.join(', ')} | ${s.parent ? `\`${s.parent}\`` : '–'} | ${s.replicationKey ?? '–'} |`,
    ),
  ];
}
