/**
 * Step 1 of a publish, concluded: this run's documents + the previous state → the plan: which
 * shards the run touches (rewrites if their entries change) and which routes it unpublishes. In
 * full mode every published route not given is unpublished; in a patch, the `remove` routes that
 * are published and, under each `replacePrefixes` entry, the published routes not given.
 *
 * Must not: touch storage, or look at bytes (write-document.ts does). Throws PublishInputError
 * when an upsert would take the storage key of a route the patch carries over.
 * Tunables: none.
 */
import { checkCarriedTwins } from './claim-routes.ts';
import { isUnderPrefix, shardOf } from './manifest-shard.ts';
import type { Publishable, PublishPatch } from './publish-input.ts';
import type { PreviousState } from './read-previous.ts';

export interface PublishPlan {
  /** Shards whose entries may change (and so are rewritten if they do), in a stable order. */
  readonly touched: ReadonlySet<string>;
  /** Routes unpublished by this run. */
  readonly removed: ReadonlySet<string>;
}

export function planPublish(
  documents: readonly Publishable[],
  routeKeys: readonly string[],
  documentPaths: ReadonlySet<string>,
  previous: PreviousState,
  patch: PublishPatch | undefined,
): PublishPlan {
  // An unreadable shard is touched (rewritten or dropped), so the new root stops naming it.
  const touched = new Set<string>(previous.unreadable);
  if (!patch || previous.rewriteAll) {
    for (const id of [...previous.shards.keys(), ...previous.refs.keys()]) touched.add(id);
  }
  for (const path of documentPaths) touched.add(shardOf(path));
  const removed = new Set<string>();
  if (!patch) {
    for (const shard of previous.shards.values())
      for (const path of shard.keys()) if (!documentPaths.has(path)) removed.add(path);
    return { touched, removed };
  }
  removeForPatch(patch, previous, documentPaths, touched, removed);
  // A carried-over route must not share a storage key with an upsert (`/x` and `/x.html`):
  // both always sit in one shard (manifest-shard.ts), which this run has read.
  checkCarriedTwins(
    documents,
    routeKeys,
    (twin) => !documentPaths.has(twin) && !removed.has(twin) && previous.entryOf(twin) !== undefined,
  );
  return { touched, removed };
}

/** Adds the routes a patch unpublishes to `removed`, and their shards to `touched`. */
function removeForPatch(
  patch: PublishPatch,
  previous: PreviousState,
  documentPaths: ReadonlySet<string>,
  touched: Set<string>,
  removed: Set<string>,
): void {
  for (const path of patch.remove ?? []) {
    if (previous.entryOf(path)) {
      removed.add(path);
      touched.add(shardOf(path));
    }
  }
  for (const prefix of patch.replacePrefixes ?? []) {
    for (const [id, shard] of previous.shards) {
      for (const path of shard.keys()) {
        if (isUnderPrefix(path, prefix) && !documentPaths.has(path)) {
          removed.add(path);
          touched.add(id);
        }
      }
    }
  }
}
