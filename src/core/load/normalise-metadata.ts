/**
 * Normalises loosely-typed metadata (front matter, meta tags, JSON-LD) into ArticleMetadata.
 * Input: a record of unknown values. Output: ArticleMetadata with strings trimmed, tags as
 * string[], dates as ISO-8601 UTC strings when normalise/normalise-date.ts accepts them, else as
 * written: normalise then refuses them with a warning naming the file and field (an impossible
 * `2023-02-30` was dropped silently, or rolled over into March by Date). Other invalid values are
 * dropped, never guessed.
 *
 * Must not: read the clock or infer from body text (the cleaner does). Also merges layers:
 * earlier layers win (sidecar/upstream > front matter > markup).
 */
import type { ArticleMetadata } from '../model.ts';
import { checkDate } from '../normalise/normalise-date.ts';

/** Field aliases seen in front matter and CMS exports → the canonical field. */
const ALIASES: Readonly<Record<string, keyof ArticleMetadata>> = {
  id: 'id',
  guid: 'id',
  title: 'title',
  headline: 'title',
  date: 'date',
  published: 'date',
  pubdate: 'date',
  publishdate: 'date',
  date_published: 'date',
  datepublished: 'date',
  created: 'date',
  updated: 'updated',
  modified: 'updated',
  lastmod: 'updated',
  date_modified: 'updated',
  datemodified: 'updated',
  author: 'author',
  authors: 'author',
  byline: 'author',
  creator: 'author',
  publisher: 'publisher',
  source: 'publisher',
  site: 'publisher',
  site_name: 'publisher',
  url: 'url',
  link: 'url',
  canonical: 'url',
  permalink: 'url',
  tags: 'tags',
  keywords: 'tags',
  categories: 'tags',
  category: 'tags',
  lang: 'lang',
  language: 'lang',
  locale: 'lang',
  inlanguage: 'lang',
  summary: 'summary',
  description: 'summary',
  excerpt: 'summary',
  image: 'image',
  cover: 'image',
  thumbnail: 'image',
};

type Mutable = { -readonly [K in keyof ArticleMetadata]?: ArticleMetadata[K] };

/** A person/organisation value as text: "Jane", {name: "Jane"}, ["Jane", "Joe"] → "Jane, Joe". */
function asName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const names = value.map(asName).filter((v): v is string => v !== undefined);
    return names.length > 0 ? names.join(', ') : undefined;
  }
  if (value && typeof value === 'object' && 'name' in value) return asName((value as { name: unknown }).name);
  return undefined;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.url === 'string') return asString(v.url);
    if (typeof v['@id'] === 'string') return asString(v['@id']);
  }
  if (Array.isArray(value)) return asString(value[0]);
  return undefined;
}

/** ISO-8601 UTC string for a parseable date; undefined for anything else. */
export function asIsoDate(value: unknown): string | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && value.trim()) date = new Date(value.trim());
  else if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

/** A stated date: ISO-8601 when checkDate accepts it, else the text as written (normalise warns). */
function asStatedDate(value: unknown): string | undefined {
  let stated: string | number | undefined;
  if (value instanceof Date) stated = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.getTime();
  else if (typeof value === 'string') stated = value.trim() || undefined;
  else if (typeof value === 'number') stated = value;
  if (stated === undefined) return undefined;
  const checked = checkDate(stated);
  return 'iso' in checked ? checked.iso : String(stated);
}

function asTags(value: unknown): string[] | undefined {
  const raw = typeof value === 'string' ? value.split(/[,;]/) : Array.isArray(value) ? value : [];
  const tags = [
    ...new Set(
      raw.map((t) => (typeof t === 'string' ? t.trim() : asName(t))).filter((t): t is string => !!t),
    ),
  ];
  return tags.length > 0 ? tags : undefined;
}

/** Normalise one loosely-typed record (keys matched case-insensitively, aliases folded). */
export function normaliseMetadata(input: Readonly<Record<string, unknown>>): ArticleMetadata {
  const out: Mutable = {};
  for (const [key, value] of Object.entries(input)) {
    const field = ALIASES[key.toLowerCase().replace(/-/g, '_')] ?? ALIASES[key.toLowerCase()];
    if (!field || out[field] !== undefined || value === null || value === undefined) continue;
    switch (field) {
      case 'date':
      case 'updated': {
        const stated = asStatedDate(value);
        if (stated) out[field] = stated;
        break;
      }
      case 'author':
      case 'publisher': {
        const name = asName(value);
        if (name) out[field] = name;
        break;
      }
      case 'tags': {
        const tags = asTags(value);
        if (tags) out.tags = tags;
        break;
      }
      case 'enclosures':
        // Only sources that parse them (upstream feeds) set enclosures; a free-form record cannot.
        break;
      default: {
        const s = asString(value);
        if (s) out[field] = s;
      }
    }
  }
  return out;
}

/** Merge layers, first wins per field (pass the most authoritative layer first). */
export function mergeMetadata(...layers: readonly (ArticleMetadata | undefined)[]): ArticleMetadata {
  const out: Mutable = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as [keyof ArticleMetadata, unknown][]) {
      if (value !== undefined && out[key] === undefined) (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
