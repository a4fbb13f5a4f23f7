import type { TapConfig } from '../config/tapConfig.js';
import { compileStreamMaps } from '../maps/compileStreamMaps.js';
import type { MappedStream, StreamShape } from '../maps/mappedStream.js';
import { streamMapOptionsFromConfig } from '../maps/streamMapOptions.js';
import { type RecordBatch, type SchemaMessage, schemaMessage } from '../singer/messages.js';
import type { SigmaRecord } from '../streams/streamDefinition.js';

/** What the Singer output emits for the selected streams of one sync, after stream maps and flattening. */
export interface StreamOutputs {
  /** SCHEMA of every emitted stream, in the order of `streams`: each input's outputs in map order. */
  readonly schemas: readonly SchemaMessage[];
  /** Selected streams that emit nothing (a map drops them); still read when a child needs them. */
  readonly dropped: ReadonlySet<string>;
  /** The names a stream's records are emitted under (empty when dropped). */
  outputNamesOf(stream: string): readonly string[];
  /**
   * The batches one batch of an input stream becomes: one per output that keeps a record of it.
   * Undefined when no stream map or flattening is configured: the batches are emitted as they are,
   * with no work per batch or record.
   */
  readonly mapBatch: ((batch: RecordBatch) => RecordBatch[]) | undefined;
}

/**
 * Compiles `stream_maps`, `stream_map_config` and flattening for the selected streams of a sync, once,
 * before anything is emitted (the Meltano SDK's PluginMapper, applied after catalog selection).
 * Contract: InputError (one line naming the setting) for any config mistake, a map naming a stream
 *   the tap does not have (`allStreamNames`) included; records are never modified in place, and
 *   bookmarks are not this module's business (they stay under the input stream's name).
 * @example compileStreamOutputs([{ name: 'members', schema, keyProperties: ['memberId'] }], { ...config, stream_maps: { members: { __alias__: 'people' } } }, names)
 *   .schemas[0].stream // 'people'
 */
export function compileStreamOutputs(streams: readonly StreamShape[], config: TapConfig, allStreamNames: readonly string[]): StreamOutputs {
  const options = streamMapOptionsFromConfig(config as unknown as Readonly<Record<string, unknown>>);
  if (options.streamMaps === undefined && options.flattening === undefined) {
    // Checked all the same: a stream_map_config of the wrong shape is a mistake even without maps.
    compileStreamMaps([], options);
    return unmappedOutputs(streams);
  }
  const mapper = compileStreamMaps(streams, { ...options, allStreamNames });
  const outputs = new Map(streams.map((s) => [s.name, mapper.outputsOf(s.name)]));
  return {
    schemas: [...outputs.values()].flat().map((o) => schemaMessage(o.name, o.schema, o.keyProperties, o.replicationKey)),
    dropped: new Set(streams.filter((s) => outputs.get(s.name)!.length === 0).map((s) => s.name)),
    outputNamesOf: (stream) => (outputs.get(stream) ?? []).map((o) => o.name),
    mapBatch: (batch) => mapBatch(batch, outputs.get(batch.stream) ?? []),
  };
}

/** The outputs of streams emitted as they are (what `tap.records()` reads, whatever the config says). */
export function unmappedOutputs(streams: readonly StreamShape[]): StreamOutputs {
  return {
    schemas: streams.map((s) => schemaMessage(s.name, s.schema, s.keyProperties, s.replicationKey)),
    dropped: new Set(),
    outputNamesOf: (stream) => [stream],
    mapBatch: undefined,
  };
}

function mapBatch(batch: RecordBatch, outputs: readonly MappedStream[]): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (const output of outputs) {
    const records: SigmaRecord[] = [];
    for (const record of batch.records) {
      const mapped = output.map(record);
      if (mapped !== undefined) records.push(mapped);
    }
    if (records.length > 0) batches.push({ ...batch, stream: output.name, records });
  }
  return batches;
}
