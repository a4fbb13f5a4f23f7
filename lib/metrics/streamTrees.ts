import type { StreamDefinition } from '../streams/streamDefinition.js';

/**
 * Each top-level stream → itself and all its descendants, as the sync runs them: one tree per
 * top-level stream, checkpointed when the whole tree is written.
 * @example
 * streamTrees(streams).get('workbooks') // ['workbook_bookmarks', …, 'workbooks', …]
 */
export function streamTrees(definitions: readonly StreamDefinition[]): ReadonlyMap<string, readonly string[]> {
  const parentOf = new Map(definitions.map((d) => [d.name, d.parent]));
  const trees = new Map<string, string[]>();
  for (const definition of definitions) {
    let root = definition.name;
    const seen = new Set([root]);
    for (let parent = parentOf.get(root); parent !== undefined && !seen.has(parent); parent = parentOf.get(root)) {
      root = parent;
      seen.add(root);
    }
    trees.set(root, [...(trees.get(root) ?? []), definition.name]);
  }
  return trees;
}
