import { readFileSync } from 'node:fs';
import { streams } from '../../pipelines/index.js';
import { selectedStreams } from './meltanoSelect.js';
import { parseYamlSubset } from './parseYamlSubset.js';

/** The file users copy: meltano-big-org.yml at the root of the repository. */
export const BIG_ORG_EXAMPLE = new URL('../../../meltano-big-org.yml', import.meta.url);

export interface ExampleExtractor {
  readonly name: string;
  readonly inherit_from?: string;
  readonly select?: readonly string[];
  readonly config?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface ExampleJob {
  readonly name: string;
  readonly tasks: readonly string[];
}

export interface ExampleSchedule {
  readonly name: string;
  readonly job: string;
  readonly interval: string;
}

/** One inherited extractor and the streams its `select` picks from the tap's stream table. */
export interface StreamGroup {
  readonly extractor: string;
  readonly streams: readonly string[];
}

export interface BigOrgExample {
  readonly extractors: readonly ExampleExtractor[];
  readonly jobs: readonly ExampleJob[];
  readonly schedules: readonly ExampleSchedule[];
  readonly groups: readonly StreamGroup[];
}

/**
 * Reads meltano-big-org.yml and resolves each extractor's `select` against pipelines/index.ts, so the
 * spec, the end-to-end test of a split and bench/bigOrg.bench.ts all use the split users copy.
 */
export function readBigOrgExample(): BigOrgExample {
  const file = parseYamlSubset(readFileSync(BIG_ORG_EXAMPLE, 'utf8')) as {
    plugins: { extractors: ExampleExtractor[] };
    jobs: ExampleJob[];
    schedules: ExampleSchedule[];
  };
  const names = streams.map((s) => s.name);
  const extractors = file.plugins.extractors;
  return {
    extractors,
    jobs: file.jobs,
    schedules: file.schedules,
    groups: extractors.map((e) => ({ extractor: e.name, streams: selectedStreams(e.select ?? [], names) })),
  };
}

/** The streams of the named groups together. */
export function streamsOf(example: BigOrgExample, ...extractors: readonly string[]): string[] {
  return extractors.flatMap((name) => {
    const group = example.groups.find((g) => g.extractor === name);
    if (!group) throw new Error(`meltano-big-org.yml has no extractor ${name}`);
    return group.streams;
  });
}
