import type { PlannedStream } from '../tap/streamPlan.js';

/**
 * The plan without the streams a stream map drops: a dropped stream with a selected descendant stays,
 * unselected, to supply its children's contexts (what the SDK documents for a `__source__` copy of a
 * dropped stream's children); one without is not read at all (the SDK reads it and throws the records
 * away).
 * @example withoutDroppedStreams(plan, new Set(['workbooks'])) // workbooks unselected, its selected children kept
 */
export function withoutDroppedStreams(plan: readonly PlannedStream[], dropped: ReadonlySet<string>): PlannedStream[] {
  if (dropped.size === 0) return [...plan];
  const prune = (stream: PlannedStream): PlannedStream | undefined => {
    const children = stream.children.map(prune).filter((c): c is PlannedStream => c !== undefined);
    const selected = stream.selected && !dropped.has(stream.definition.name);
    if (!selected && children.length === 0) return undefined;
    const unchanged = selected === stream.selected && children.length === stream.children.length && children.every((child, i) => child === stream.children[i]);
    return unchanged ? stream : { ...stream, selected, children };
  };
  return plan.map(prune).filter((s): s is PlannedStream => s !== undefined);
}
