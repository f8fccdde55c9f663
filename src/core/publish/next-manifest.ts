/**
 * Steps 3 and 4 of a publish, in memory: the previous shards + every document's outcome + the
 * plan → the new contents of the touched shards, the bytes and content-addressed keys of those
 * whose entries changed (`_v/<hex16>/_manifest/<id>.json`), and the root that names them all.
 *
 * Must not: write anything (the ledger writes the shards after the journal, publish.ts swaps the
 * root), or serialize again a shard whose bytes a patch run keeps. Tunables: none (the shard
 * layout: manifest-shard.ts).
 */
import { sha256Hex } from '../digest/hash.ts';
import {
  type ManifestEntry,
  type ManifestRoot,
  type ShardRef,
  type StoredManifest,
  serializeManifestShard,
  shardKey,
} from './manifest.ts';
import { SHARD_LAYOUT_VERSION, shardOf } from './manifest-shard.ts';
import type { Publishable, PublishPatch } from './publish-input.ts';
import type { PublishPlan } from './publish-plan.ts';
import type { PreviousState, ShardContents } from './read-previous.ts';
import type { Outcome } from './write-document.ts';

export interface NextShards {
  /** New entries of every touched shard (an empty one is dropped from the root). */
  readonly next: ShardContents;
  /** A shard a patch run leaves as it was: its stored bytes and key stay. */
  keepsBytes(id: string): boolean;
}

/** The touched shards' new contents, and which of them may differ from the stored ones. */
export function collectShards(
  documents: readonly Publishable[],
  outcomes: readonly Outcome[],
  plan: PublishPlan,
  previous: PreviousState,
  patch: PublishPatch | undefined,
): NextShards {
  const next: ShardContents = new Map();
  for (const id of plan.touched) {
    const shard = new Map<string, ManifestEntry>();
    // A patch carries the rest of the shard over (`previous` is grouped by the current
    // layout, also when it came from a version 1 manifest or an older layout).
    if (patch) {
      for (const [path, entry] of previous.shards.get(id) ?? [])
        if (!plan.removed.has(path)) shard.set(path, entry);
    }
    next.set(id, shard);
  }
  // Shards whose entries may differ from the stored ones. A patch run plans many documents it
  // does not change (a scope's current feeds, neighbouring pages): their shards keep their
  // bytes, so they are not serialized and hashed again only to find the same key.
  // Only a patch run can skip that; a complete publish serializes every touched shard (and still
  // writes only those whose key changed), so it compares no entries.
  const mayKeepShards = patch !== undefined && !previous.rewriteAll && previous.journal === null;
  const dirty = new Set<string>();
  for (const path of plan.removed) dirty.add(shardOf(path));
  for (const [index, document] of documents.entries()) {
    const outcome = outcomes[index] as Outcome;
    const id = shardOf(document.path);
    next.get(id)?.set(document.path, outcome.entry);
    if (!mayKeepShards || dirty.has(id)) continue;
    const before = previous.entryOf(document.path);
    if (outcome.changed || before === undefined || JSON.stringify(outcome.entry) !== JSON.stringify(before)) {
      dirty.add(id);
    }
  }
  const keepsBytes = (id: string): boolean =>
    mayKeepShards && !dirty.has(id) && previous.shards.has(id) && previous.refs.has(id);
  return { next, keepsBytes };
}

/** A shard object to write before the swap. */
export interface ShardWrite {
  readonly id: string;
  readonly key: string;
  readonly body: Uint8Array;
}

/** The new root's shard refs, and the shard objects to write for them (those whose key changed). */
export async function serializeShards(
  { next, keepsBytes }: NextShards,
  previousRefs: ReadonlyMap<string, ShardRef>,
): Promise<{ refs: Map<string, ShardRef>; writes: ShardWrite[] }> {
  const refs = new Map<string, ShardRef>(previousRefs);
  const writes: ShardWrite[] = [];
  for (const [id, shard] of next) {
    if (shard.size === 0) {
      refs.delete(id);
      continue;
    }
    if (keepsBytes(id)) continue;
    const body = serializeManifestShard(id, Object.fromEntries(shard));
    const key = shardKey(id, await sha256Hex(body));
    if (previousRefs.get(id)?.key === key) continue;
    refs.set(id, { key, count: shard.size });
    writes.push({ id, key, body });
  }
  return { refs, writes };
}

/** The root of the next generation, naming `refs` in sorted order. */
export function nextRoot(
  refs: ReadonlyMap<string, ShardRef>,
  stored: StoredManifest | null,
  now: Date,
): ManifestRoot {
  const shards: Record<string, ShardRef> = {};
  for (const id of [...refs.keys()].sort()) shards[id] = refs.get(id) as ShardRef;
  return {
    version: 2,
    layout: SHARD_LAYOUT_VERSION,
    generation: (stored?.generation ?? 0) + 1,
    publishedAt: now.toISOString(),
    shards,
  };
}
