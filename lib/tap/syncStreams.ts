import { type Observable, concat, defer, merge, of } from 'rxjs';
import { syncExport } from '../exports/syncExport.js';
import type { PlannedStream } from './streamPlan.js';
import { type SyncDependencies, type SyncOutput, syncTree } from './syncTree.js';

/**
 * The whole extraction as one Observable: every top-level stream with its descendants, each tree
 * followed by a checkpoint once all of its records were emitted. All trees are subscribed at once;
 * the shared FanOutScheduler and the client's limiter bound what actually runs. A workbook element of
 * the `exports` setting is extracted by syncExport instead, paced by the export rate limiter. Trees an
 * interrupted run already finished (see RESUME_KEY) are not extracted again.
 */
export function syncStreams(plan: readonly PlannedStream[], deps: SyncDependencies): Observable<SyncOutput> {
  const trees = plan
    .filter((root) => !deps.state.alreadyCompleted(root.definition.name))
    .map((root) =>
      concat(
        root.definition.elementExport ? syncExport(root, deps) : syncTree(root, deps),
        defer(() => {
          completeTree(root, deps);
          deps.state.completeRoot(root.definition.name);
          return of<SyncOutput>({ kind: 'checkpoint', root: root.definition.name, unavailable: deps.report.wasSkipped(root.definition.name) });
        }),
      ),
    );
  return merge(...trees);
}

/** Every selected stream of the tree that was read gets its bookmark (or its mark of having been read). */
function completeTree(stream: PlannedStream, deps: SyncDependencies): void {
  if (stream.selected && !deps.report.wasSkipped(stream.definition.name)) deps.state.complete(stream.definition.name);
  for (const child of stream.children) completeTree(child, deps);
}
