/**
 * The story index: which content files carry the same story (clean/story-fold.ts), kept in the
 * state store so an incremental run can fold and unfold copies without reading the corpus. Two
 * sharded maps (state/sharded-map.ts), each checked against the census the commit stores in
 * `index/meta.json`, rebuilt by a full gather when lost:
 *  - `index/story-of/<xx>.json` (CONTENT_SHARDS, by a hash of the content key): content key →
 *    its story's fingerprint (files with too little text have none);
 *  - `index/stories/<xx>.json` (STORY_SHARDS, by a hash of the fingerprint): fingerprint → its
 *    copies (content key → richness), so a file that becomes a copy finds the others, and a
 *    winner that changes or goes finds the copies folded into it.
 * Both are derived from the files' raw content (as the content index is: its raw hash covers
 * source, body, metadata and the default language) and CLEANER_VERSION (meta.json).
 *
 * Keeps, for the run, what each touched key and story held when loaded, so the caller can compare
 * a copy's fold before the run (`foldedBefore`) with its fold now (`foldedInto`).
 * Must not: write anything itself (the local source hands out its writes at commit), or decide
 * the winner (story-fold.ts does).
 */
import type { Storage } from '../../ports/storage.ts';
import { foldWinner, type Story, type StoryCopies } from '../clean/story-fold.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import { createShardedMap, type ShardedMap } from '../state/sharded-map.ts';
import { CONTENT_SHARDS } from './content-index.ts';
import { byKey } from './document-keys.ts';

export const STORY_OF_PREFIX = 'index/story-of/';
export const STORIES_PREFIX = 'index/stories/';
/** 64 shards: a story has one or two copies; ~1,500 stories a shard at 100,000 articles. */
export const STORY_SHARDS = 64;

export interface StoryIndex {
  /** Records a content key's story now (null: none, or the file left the corpus). */
  set(id: string, story: Story | null): Promise<void>;
  /** Every key whose fold may have changed this run: the copies of every touched story, sorted. */
  affected(): readonly string[];
  /** The copy `id` is folded into now; null when it is published (or has no copy). */
  foldedInto(id: string): Promise<string | null>;
  /** The copy `id` was folded into when the run started (null in a full run). */
  foldedBefore(id: string): Promise<string | null>;
  /** Loads every shard (a recount of a chrome group must know every folded copy). */
  ensureAll(): Promise<void>;
  writes(): Promise<{ readonly key: string; readonly body: Uint8Array | null }[]>;
  census(): Record<string, ShardCensus>;
}

export function createStoryIndex(
  state: Storage,
  opened: (prefix: string) => { readonly fresh?: boolean; readonly census?: ShardCensus },
): StoryIndex {
  const storyOf: ShardedMap<string> = createShardedMap(
    state,
    STORY_OF_PREFIX,
    CONTENT_SHARDS,
    opened(STORY_OF_PREFIX),
  );
  const stories: ShardedMap<StoryCopies> = createShardedMap(
    state,
    STORIES_PREFIX,
    STORY_SHARDS,
    opened(STORIES_PREFIX),
  );
  /** What touched keys and stories held when loaded (undefined: nothing). */
  const keysBefore = new Map<string, string | undefined>();
  const copiesBefore = new Map<string, StoryCopies | undefined>();

  const rememberCopies = async (fingerprint: string) => {
    await stories.ensure([fingerprint]);
    if (!copiesBefore.has(fingerprint)) copiesBefore.set(fingerprint, stories.get(fingerprint));
  };
  const foldedIn = (id: string, fingerprint: string | undefined, copies: StoryCopies | undefined) => {
    if (fingerprint === undefined) return null;
    const winner = foldWinner(copies);
    return winner === null || winner === id ? null : winner;
  };

  return {
    async set(id, story) {
      await storyOf.ensure([id]);
      const old = storyOf.get(id);
      if (!keysBefore.has(id)) keysBefore.set(id, old);
      if (old !== undefined) {
        await rememberCopies(old);
        const { [id]: _gone, ...rest } = stories.get(old) ?? {};
        if (Object.keys(rest).length > 0) stories.set(old, rest);
        else stories.delete(old);
      }
      if (story === null) {
        storyOf.delete(id);
        return;
      }
      await rememberCopies(story.fingerprint);
      stories.set(story.fingerprint, { ...stories.get(story.fingerprint), [id]: story.richness });
      storyOf.set(id, story.fingerprint);
    },
    affected() {
      const ids = new Set<string>();
      for (const [fingerprint, before] of copiesBefore) {
        for (const id of Object.keys(before ?? {})) ids.add(id);
        for (const id of Object.keys(stories.get(fingerprint) ?? {})) ids.add(id);
      }
      return [...ids].sort(byKey);
    },
    async foldedInto(id) {
      await storyOf.ensure([id]);
      const fingerprint = storyOf.get(id);
      if (fingerprint !== undefined) await stories.ensure([fingerprint]);
      return foldedIn(id, fingerprint, fingerprint === undefined ? undefined : stories.get(fingerprint));
    },
    async foldedBefore(id) {
      await storyOf.ensure([id]);
      const fingerprint = keysBefore.has(id) ? keysBefore.get(id) : storyOf.get(id);
      if (fingerprint === undefined) return null;
      await stories.ensure([fingerprint]);
      const copies = copiesBefore.has(fingerprint) ? copiesBefore.get(fingerprint) : stories.get(fingerprint);
      return foldedIn(id, fingerprint, copies);
    },
    async ensureAll() {
      await storyOf.ensureAll();
      await stories.ensureAll();
    },
    async writes() {
      return [...(await storyOf.writes()), ...(await stories.writes())];
    },
    census() {
      return { [STORY_OF_PREFIX]: storyOf.census() ?? {}, [STORIES_PREFIX]: stories.census() ?? {} };
    },
  };
}
