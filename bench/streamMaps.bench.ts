/**
 * In-process cost of stream maps and flattening per record, in µs, next to a baseline that only
 * copies the record (`{ ...record }`) and one that serializes it, in the same run. No I/O: records are built once from the real
 * stream schemas (`members`, flat, and `member_schedules`, with nested objects), then each variant
 * maps them in a loop, several rounds, median round reported.
 *
 * Run: `npm run build && node dist/bench/streamMaps.bench.js`. Prints one JSON line.
 */
import { compileStreamMaps, type StreamMapOptions } from '../lib/maps/compileStreamMaps.js';
import type { StreamShape } from '../lib/maps/mappedStream.js';
import { contextKeysOf, recordSchema } from '../lib/streams/recordSchema.js';
import type { JsonSchema, SigmaRecord } from '../lib/streams/streamDefinition.js';
import { streams } from '../pipelines/index.js';
import { describeMachine, isEntryPoint, median, printResult, round } from './support/machine.js';

const RECORDS = 20_000;
const ROUNDS = 7;

/** A value of every property the schema declares, varied by `i`, nested objects included. */
function sample(schema: JsonSchema, i: number, name = 'x'): unknown {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, child]) => [key, sample(child, i, key)]));
  }
  if (types.includes('array')) return [sample(schema.items ?? { type: 'string' }, i, name), sample(schema.items ?? { type: 'string' }, i + 1, name)];
  if (types.includes('integer')) return i;
  if (types.includes('number')) return i + 0.5;
  if (types.includes('boolean')) return i % 2 === 0;
  if (schema.format === 'date-time') return new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  if (name.toLowerCase().includes('email')) return `member${i}@example.com`;
  return `${name}-${i}`;
}

function shapeOf(name: string): StreamShape {
  const definition = streams.find((stream) => stream.name === name)!;
  return { name, schema: recordSchema(definition, contextKeysOf(definition)), keyProperties: definition.primaryKeys, replicationKey: definition.replicationKey };
}

/** µs per record of one mapping function, median of the rounds. */
function measure(map: (record: SigmaRecord) => unknown, records: readonly SigmaRecord[]): number {
  let sink = 0;
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.hrtime.bigint();
    for (const record of records) if (map(record) !== undefined) sink += 1;
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / records.length);
  }
  if (sink === 0) throw new Error('every record was filtered out: the bench measures nothing');
  return median(rounds);
}

export interface StreamMapsBenchResult {
  readonly scenario: 'stream-maps';
  readonly records: number;
  readonly node: string;
  /** µs per record, by variant. */
  readonly usPerRecord: Readonly<Record<string, number>>;
}

export function streamMapsBench(): StreamMapsBenchResult {
  const members = shapeOf('members');
  const schedules = shapeOf('member_schedules');
  const memberRecords = Array.from({ length: RECORDS }, (_, i) => sample(members.schema, i) as SigmaRecord);
  const scheduleRecords = Array.from({ length: RECORDS }, (_, i) => sample(schedules.schema, i) as SigmaRecord);
  const flattening = { maxDepth: 1, separator: '__', maxKeyLength: 255 };
  const variant = (shape: StreamShape, options: StreamMapOptions) => compileStreamMaps([shape], options).outputsOf(shape.name)[0]!.map;

  const results: Record<string, number> = {
    'baseline: copy a member': measure((record) => ({ ...record }), memberRecords),
    'members: no map (identity)': measure(variant(members, {}), memberRecords),
    'members: remove email, add md5 of email': measure(variant(members, { streamMaps: { members: { email: null, email_hash: 'md5(email)' } } }), memberRecords),
    'members: filter + 2 expressions': measure(
      variant(members, { streamMaps: { members: { __filter__: "memberType != 'viewer' and not isArchived", email_domain: "email.split('@')[-1]", name: "firstName + ' ' + lastName.upper()" } } }),
      memberRecords,
    ),
    'members: __else__ null + sha256 key': measure(variant(members, { streamMaps: { members: { email_hash: 'sha256(email)', updatedAt: 'updatedAt', __else__: null } } }), memberRecords),
    'baseline: copy a member schedule': measure((record) => ({ ...record }), scheduleRecords),
    // What the writer spends on every RECORD anyway, for scale: flattening serializes nested parts.
    'baseline: JSON.stringify a member schedule': measure((record) => JSON.stringify(record), scheduleRecords),
    'member_schedules: flatten depth 1': measure(variant(schedules, { flattening }), scheduleRecords),
    'member_schedules: flatten depth 3': measure(variant(schedules, { flattening: { ...flattening, maxDepth: 3 } }), scheduleRecords),
    'member_schedules: map + flatten depth 1': measure(variant(schedules, { streamMaps: { member_schedules: { ownerHash: 'md5(memberId)' } }, flattening }), scheduleRecords),
  };
  return { scenario: 'stream-maps', records: RECORDS, node: describeMachine().node, usPerRecord: Object.fromEntries(Object.entries(results).map(([name, us]) => [name, round(us, 3)])) };
}

if (isEntryPoint(import.meta.url)) printResult(streamMapsBench());
