/**
 * Topic selection: feed items → the tags (or publishers) that get their own feeds, each
 * with its slug, a display label and its items (newest first, as given).
 *
 * Labels that fold to one slug are one topic; its label is the spelling most items use
 * (ties: the first seen in item order), so it does not flip between runs.
 * Must not: reorder items or drop any (every tag of every item gets a topic).
 */
import type { FeedItem } from '../model.ts';
import { topicSlug } from './topic-slug.ts';

export interface Topic {
  readonly slug: string;
  readonly label: string;
  /** The topic's items, in the order given (newest first). */
  readonly items: readonly FeedItem[];
}

/** Topics sorted by slug; `labelsOf` says which labels an item belongs to. */
export function selectTopics(
  items: readonly FeedItem[],
  labelsOf: (item: FeedItem) => readonly string[],
): Topic[] {
  const bySlug = new Map<string, { items: FeedItem[]; spellings: Map<string, number> }>();
  for (const item of items) {
    const seen = new Set<string>();
    for (const raw of labelsOf(item)) {
      const label = raw.replace(/\s+/g, ' ').trim();
      if (label === '') continue;
      const slug = topicSlug(label);
      let topic = bySlug.get(slug);
      if (!topic) {
        topic = { items: [], spellings: new Map() };
        bySlug.set(slug, topic);
      }
      topic.spellings.set(label, (topic.spellings.get(label) ?? 0) + 1);
      if (!seen.has(slug)) topic.items.push(item);
      seen.add(slug);
    }
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, { items: topicItems, spellings }]) => {
      let label = '';
      let best = 0;
      for (const [spelling, count] of spellings) {
        if (count > best) [label, best] = [spelling, count];
      }
      return { slug, label, items: topicItems };
    });
}

export const tagsOf = (item: FeedItem): readonly string[] => item.tags;
export const publishersOf = (item: FeedItem): readonly string[] =>
  item.publisher !== undefined ? [item.publisher] : [];
