import { globPattern } from '../../lib/maps/globPattern.js';

/**
 * The streams a Meltano `select` list picks, by Meltano's rules (`select_metadata_rules` in
 * meltano/core/plugin/singer/catalog.py): a pattern is `stream` or `stream.property`, split at the first
 * dot; stream and property are shell-style globs (fnmatch, as globPattern reads them for stream maps);
 * include rules apply first, then `!` rules. A `!` rule drops a whole stream only when it names no
 * property or every property (`!stream`, `!stream.*`); `!stream.prop` drops one property, not the stream.
 *
 * @example
 * selectedStreams(['*.*', '!workbook*.*'], ['workbooks', 'workbook_pages', 'members']) // → ['members']
 */
export function selectedStreams(patterns: readonly string[], streams: readonly string[]): string[] {
  const rules = patterns.map(parseSelectPattern);
  const included = (name: string): boolean => rules.some((r) => !r.negated && r.stream.test(name));
  const excluded = (name: string): boolean => rules.some((r) => r.negated && r.wholeStream && r.stream.test(name));
  return streams.filter((name) => included(name) && !excluded(name));
}

export interface SelectPattern {
  readonly raw: string;
  readonly negated: boolean;
  readonly stream: RegExp;
  /** No property, or `*`: the rule is about the stream itself. */
  readonly wholeStream: boolean;
}

/** One `select` entry as Meltano's SelectPattern.parse reads it, e.g. `!workbook_*.*`. */
export function parseSelectPattern(raw: string): SelectPattern {
  const negated = raw.startsWith('!');
  const body = negated ? raw.slice(1) : raw;
  // Meltano splits at the first dot not escaped with a backslash; stream names never hold one here.
  const dot = body.search(/(?<!\\)\./);
  const stream = dot < 0 ? body : body.slice(0, dot);
  const property = dot < 0 ? undefined : body.slice(dot + 1);
  return { raw, negated, stream: globPattern(stream), wholeStream: property === undefined || property === '*' };
}
