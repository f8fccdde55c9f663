/**
 * Topic selection: feed items → the tags (or publishers) that get their own feeds, each
 * with its slug, a display label and its items (newest first, as given).
 *
 * Labels that fold to one slug are one topic; its label is the spelling most items use (ties:
 * the first in code-unit order, so "Paris" wins over "paris"). The rule reads only the counts, so
 * it does not flip between runs and an index that keeps counts (state/site-index.ts) agrees.
 * Must not: reorder items or drop any (every tag of every item gets a topic).
 */
import type { FeedItem } from '../model.ts';
import { topicSlug } from './topic-slug.ts';

export interface Topic<T = FeedItem> {
  readonly slug: string;
  readonly label: string;
  /** The topic's items, in the order given (newest first). */
  readonly items: readonly T[];
}

/**
 * Topics sorted by slug; `labelsOf` says which labels an item belongs to. Generic over the item
 * type: the pipeline selects topics from catalog entries (no bodies) with the same rules.
 */
export function selectTopics<T = FeedItem>(
  items: readonly T[],
  labelsOf: (item: T) => readonly string[],
): Topic<T>[] {
  const bySlug = new Map<string, { items: T[]; spellings: Map<string, number> }>();
  // Labels repeat across items (100,000 items carry a few thousand distinct tags): clean and
  // slug each spelling once.
  const cleaned = new Map<string, { label: string; slug: string }>();
  for (const item of items) {
    const seen: string[] = [];
    for (const raw of labelsOf(item)) {
      let known = cleaned.get(raw);
      if (known === undefined) {
        const label = cleanTopicLabel(raw);
        known = { label, slug: label === '' ? '' : topicSlug(label) };
        cleaned.set(raw, known);
      }
      const { label, slug } = known;
      if (label === '') continue;
      let topic = bySlug.get(slug);
      if (!topic) {
        topic = { items: [], spellings: new Map() };
        bySlug.set(slug, topic);
      }
      topic.spellings.set(label, (topic.spellings.get(label) ?? 0) + 1);
      if (!seen.includes(slug)) {
        topic.items.push(item);
        seen.push(slug);
      }
    }
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, { items: topicItems, spellings }]) => ({
      slug,
      label: majoritySpelling(spellings),
      items: topicItems,
    }));
}

/** The spelling with the highest count; ties → the first in code-unit order ('' when none). */
export function majoritySpelling(spellings: Iterable<readonly [string, number]>): string {
  let label = '';
  let best = 0;
  for (const [spelling, count] of spellings) {
    if (count > best || (count === best && count > 0 && spelling < label)) [label, best] = [spelling, count];
  }
  return label;
}

/** A raw tag or publisher as topics spell it (spaces folded); '' means it names no topic. */
export function cleanTopicLabel(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

export const tagsOf = (item: Pick<FeedItem, 'tags'>): readonly string[] => item.tags;
export const publishersOf = (item: Pick<FeedItem, 'publisher'>): readonly string[] =>
  item.publisher !== undefined ? [item.publisher] : [];
