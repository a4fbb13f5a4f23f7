import { InputError } from '../errors.js';
import type { FlatteningOptions } from '../flattening/flatteningOptions.js';
import type { SigmaRecord } from '../streams/streamDefinition.js';
import { compileStreamMap, unmappedStream } from './compileStreamMap.js';
import { globPattern, isGlob } from './globPattern.js';
import type { MappedStream, StreamShape } from './mappedStream.js';
import type { Dict } from './pythonValues.js';
import { type StreamMapEntry, readStreamMaps } from './readStreamMaps.js';
import { streamAlias } from './streamAlias.js';

export interface StreamMapOptions {
  /** The `stream_maps` setting, unchecked. */
  readonly streamMaps?: unknown;
  /** The `stream_map_config` setting (`config` in expressions), unchecked. */
  readonly streamMapConfig?: unknown;
  /** Flattening of every emitted stream; undefined for none. */
  readonly flattening?: FlatteningOptions | undefined;
  /**
   * Every stream the tap has, selected or not. When given, a map naming a stream (or a `__source__`)
   * that does not exist is an error instead of silently doing nothing, as it does in the SDK.
   */
  readonly allStreamNames?: readonly string[];
}

export interface StreamMapper {
  /**
   * The streams emitted for one input stream, in SCHEMA order: its same-named (primary) map unless it
   * is dropped, then its `__source__` copies in config order. Empty when nothing is emitted.
   */
  outputsOf(streamName: string): readonly MappedStream[];
  /**
   * The primary map's `__filter__`, which in the SDK also decides whether a parent record's children
   * are synced; undefined when every parent record's children are. A dropped stream's children are
   * still synced (what the SDK documents for "copy with __source__, drop the original").
   */
  childFilterOf(streamName: string): ((record: SigmaRecord) => boolean) | undefined;
}

type Assignment = { readonly entry: StreamMapEntry; readonly name: string };

/**
 * Compiles `stream_maps` (with `stream_map_config` and flattening) for the streams of a run, once, at
 * start-up, with the Meltano SDK's semantics (PluginMapper.register_raw_stream_schema): a key is a
 * stream name or a glob; its map replaces the stream's primary map (later keys win), `__alias__`
 * renames it, `null` drops it, `__source__` adds a copy named by the key; a top-level
 * `"__else__": null` drops the streams no key maps as primary.
 * Contract: every config mistake is one InputError line here, never mid-run: a wrong shape, an
 *   expression that does not compile, key properties the map breaks, two outputs with one name.
 * @example compileStreamMaps([{ name: 'members', schema, keyProperties: ['memberId'] }], { streamMaps: { members: { email: null } } })
 *   .outputsOf('members')[0].map(member) // the member without its email
 */
export function compileStreamMaps(streams: readonly StreamShape[], options: StreamMapOptions = {}): StreamMapper {
  const config = readStreamMaps(options.streamMaps);
  const mapConfig = options.streamMapConfig ?? {};
  if (typeof mapConfig !== 'object' || mapConfig === null || Array.isArray(mapConfig)) throw new InputError("config: setting 'stream_map_config' must be an object");
  if (options.allStreamNames !== undefined) checkStreamNames(config.entries, new Set(options.allStreamNames));
  const context = { config: mapConfig as Readonly<Dict>, flattening: options.flattening };
  const patterns = new Map(config.entries.map((entry) => [entry, patternOf(entry)]));

  const outputs = new Map<string, readonly MappedStream[]>();
  const childFilters = new Map<string, (record: SigmaRecord) => boolean>();
  for (const input of streams) {
    let primary: Assignment | undefined;
    const copies: Assignment[] = [];
    for (const entry of config.entries) {
      const pattern = patterns.get(entry)!;
      if (pattern.source !== input.name && !pattern.glob?.test(input.name)) continue;
      const isCopy = entry.kind === 'map' && entry.source !== undefined;
      let name = entry.kind === 'map' && entry.alias !== undefined ? streamAlias(entry.alias, input.name, `stream_maps.${entry.key}.__alias__`) : entry.key;
      // A glob key without __alias__ keeps each matching stream's own name.
      if (pattern.source !== input.name && name === pattern.source) name = input.name;
      if (isCopy) copies.push({ entry, name });
      else primary = { entry, name };
    }
    const emitted: MappedStream[] = [];
    if (primary === undefined) {
      if (!config.dropUnmapped) emitted.push(unmappedStream(input, options.flattening));
    } else if (primary.entry.kind === 'map') {
      const compiled = compileStreamMap(input, primary.name, primary.entry, context);
      emitted.push(compiled.stream);
      if (compiled.passes !== undefined) childFilters.set(input.name, compiled.passes);
    }
    for (const copy of copies) emitted.push(compileStreamMap(input, copy.name, copy.entry as Extract<StreamMapEntry, { kind: 'map' }>, context).stream);
    outputs.set(input.name, emitted);
  }
  checkUniqueNames(outputs);

  return {
    outputsOf: (streamName) => {
      const emitted = outputs.get(streamName);
      if (emitted === undefined) throw new Error(`stream maps were not compiled for stream '${streamName}'`);
      return emitted;
    },
    childFilterOf: (streamName) => childFilters.get(streamName),
  };
}

/** The stream name (or glob) an entry applies to: its key, or its `__source__` for a copy. */
function patternOf(entry: StreamMapEntry): { readonly source: string; readonly glob: RegExp | undefined } {
  const source = entry.kind === 'map' && entry.source !== undefined ? entry.source : entry.key;
  return { source, glob: isGlob(source) ? globPattern(source) : undefined };
}

function checkStreamNames(entries: readonly StreamMapEntry[], names: ReadonlySet<string>): void {
  for (const entry of entries) {
    const isCopy = entry.kind === 'map' && entry.source !== undefined;
    const { source } = patternOf(entry);
    if (isGlob(source) || names.has(source)) continue;
    const path = isCopy ? `stream_maps.${entry.key}.__source__` : `stream_maps.${entry.key}`;
    throw new InputError(`config: ${path}: tap-sigma has no stream named '${source}'`);
  }
}

function checkUniqueNames(outputs: ReadonlyMap<string, readonly MappedStream[]>): void {
  const sources = new Map<string, string>();
  for (const [input, emitted] of outputs) {
    for (const stream of emitted) {
      const earlier = sources.get(stream.name);
      if (earlier !== undefined) {
        const who = earlier === input ? `stream '${input}' would be emitted twice` : `streams '${earlier}' and '${input}' would both be emitted`;
        throw new InputError(`config: stream_maps: ${who} as '${stream.name}'; give each output its own name`);
      }
      sources.set(stream.name, input);
    }
  }
}
