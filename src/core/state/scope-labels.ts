/**
 * The topic scopes an item belongs to, named the way selectTopics names them: each raw tag or
 * publisher is cleaned (cleanTopicLabel), slugged (topicSlug) and becomes `/tags/<slug>` or
 * `/publishers/<slug>`; an item is a member of a scope once, and every label counts once towards
 * its scope's spellings (the majority spelling labels the topic).
 *
 * Must not: read storage or the clock. The namer memoises per raw spelling (100,000 items carry
 * a few thousand distinct tags), so one namer serves one run.
 */
import { cleanTopicLabel, publishersOf } from '../syndicate/select-topics.ts';
import { topicSlug } from '../syndicate/topic-slug.ts';
import type { CatalogEntry } from './item-catalog.ts';

export type TopicNamer = (raw: string) => { readonly label: string; readonly slug: string };

export function createTopicNamer(): TopicNamer {
  const known = new Map<string, { label: string; slug: string }>();
  return (raw) => {
    let named = known.get(raw);
    if (named === undefined) {
      const label = cleanTopicLabel(raw);
      named = { label, slug: label === '' ? '' : topicSlug(label) };
      known.set(raw, named);
    }
    return named;
  };
}

export interface ScopeLabels {
  /** Scope keys, each once, tags first. */
  readonly scopes: readonly string[];
  /** [scope key, cleaned spelling] for every label the item carries. */
  readonly spellings: readonly (readonly [string, string])[];
}

export function scopeLabelsOf(
  entry: Pick<CatalogEntry, 'tags' | 'publisher'>,
  namer: TopicNamer,
): ScopeLabels {
  const scopes: string[] = [];
  const spellings: [string, string][] = [];
  const add = (prefix: string, raw: string): void => {
    const { label, slug } = namer(raw);
    if (label === '') return;
    const scope = `${prefix}/${slug}`;
    if (!scopes.includes(scope)) scopes.push(scope);
    spellings.push([scope, label]);
  };
  for (const tag of entry.tags) add('/tags', tag);
  for (const publisher of publishersOf(entry)) add('/publishers', publisher);
  return { scopes, spellings };
}
