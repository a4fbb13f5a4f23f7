import type { StreamDefinition } from '../lib/streams/streamDefinition.js';

const STYLE: Record<StreamDefinition['pagination'], string> = {
  pageLimit: 'page/limit',
  pageToken: 'pageToken',
  array: 'bare array',
  arrayOrEnvelope: 'page/limit',
  single: 'single object',
};

/** How an incremental run reads a child, in a few words (the reason is in the stream's row). */
const REFRESH: Record<NonNullable<StreamDefinition['refresh']>['rule'], string> = {
  'with-parent': 'changed parents',
  'when-listed': 'changed parents, or listed',
  'every-run': 'every parent',
};

/** The README's stream table, one row per stream, header first. */
export function streamTableRows(streams: readonly StreamDefinition[]): string[] {
  return [
    '| stream | endpoint | paging | primary key | parent | replication | incremental run reads it for |',
    '|---|---|---|---|---|---|---|',
    ...streams.map((s) => {
      const replication = s.replicationKey ? `INCREMENTAL on ${s.replicationKey}` : 'FULL_TABLE';
      const refresh = s.refresh ? REFRESH[s.refresh.rule] : '–';
      return `| \`${s.name}\` | \`${s.path}\` | ${STYLE[s.pagination]} | ${s.primaryKeys.join(', ')} | ${s.parent ? `\`${s.parent}\`` : '–'} | ${replication} | ${refresh} |`;
    }),
  ];
}
