/**
 * Same-story folding (rules.ts STORY_FOLD): a document → the fingerprint of its story (its article
 * text, cleaned on its own) and how much metadata it states; a group of documents with one story →
 * the copy that is published (the winner) and the copies folded into it. Used by the gather
 * (sources/story-index.ts keeps the fingerprints of the corpus), `kiosque clean` and its
 * `--explain` (corpus/prepare-corpus.ts), and, for the fingerprint alone, remote deduplication.
 *
 * Must not: read storage or the clock, depend on the order documents come in, or use corpus-level
 * knowledge (chrome counts): a fingerprint is a function of one document, so it can be stored.
 */
import { sha256Hex } from '../digest/hash.ts';
import {
  ARTICLE_STRING_FIELDS,
  type ArticleMetadata,
  type ParsedDocument,
  type RawDocument,
} from '../model.ts';
import { cleanDocument } from './clean-document.ts';
import { comparisonKey } from './normalise-text.ts';
import { STORY_FOLD } from './rules.ts';

/** What a fingerprint is taken of: a parsed (or cleaned) document. */
export interface Fingerprintable {
  readonly raw: RawDocument;
  readonly blocks: readonly { readonly text: string }[];
}

/** What is fingerprinted of an article: its blocks' comparison keys, or null when too short. */
function fingerprintText(blocks: readonly { readonly text: string }[]): string | null {
  const text = blocks.map((b) => comparisonKey(b.text)).join('\n');
  return text.length < STORY_FOLD.minFingerprintChars ? null : text;
}

/** Fingerprint (SHA-256 hex) of an article's text, or null when it is too short to identify a story. */
export async function fingerprintOf(doc: Fingerprintable): Promise<string | null> {
  const text = fingerprintText(doc.blocks);
  return text === null ? null : sha256Hex(text);
}

/** A local document's story: its fingerprint and how many metadata fields it states. */
export interface Story {
  /** 32 hex digits of the fingerprint of its long body blocks, cleaned on their own. */
  readonly fingerprint: string;
  readonly richness: number;
}

/** Stated metadata fields that count toward a copy's richness (each counts once). */
const RICH_FIELDS = [...ARTICLE_STRING_FIELDS, 'tags'] as const;

/** How many of RICH_FIELDS a document states (non-empty). */
export function richnessOf(metadata: ArticleMetadata): number {
  let n = 0;
  for (const field of RICH_FIELDS) {
    const value = metadata[field];
    if (typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.length > 0) n++;
  }
  return n;
}

/**
 * The text a document's story is recognised by (see STORY_FOLD), or null when its article text is
 * too short to tell (it is then never folded). Throws when the document cannot be cleaned.
 */
export function storyText(parsed: ParsedDocument, defaultLanguage: string): string | null {
  const alone = cleanDocument(parsed, { defaultLanguage });
  return fingerprintText(
    alone.blocks.filter(
      (b) => b.kind !== 'heading' && comparisonKey(b.text).length >= STORY_FOLD.minBlockChars,
    ),
  );
}

/** The story of a parsed document (storyText, fingerprinted), or null. Throws like storyText. */
export async function storyOf(parsed: ParsedDocument, defaultLanguage: string): Promise<Story | null> {
  const text = storyText(parsed, defaultLanguage);
  if (text === null) return null;
  return { fingerprint: (await sha256Hex(text)).slice(0, 32), richness: richnessOf(parsed.metadata) };
}

/** Copy id → richness, for the copies of one story. */
export type StoryCopies = Readonly<Record<string, number>>;

/** True when copy `a` is published rather than copy `b`: more metadata, then the first id. */
export function outranks(a: readonly [string, number], b: readonly [string, number]): boolean {
  return a[1] !== b[1] ? a[1] > b[1] : a[0] < b[0];
}

/** The copy published among the copies of one story; null when there is only one (nothing folds). */
export function foldWinner(copies: StoryCopies | undefined): string | null {
  if (!copies) return null;
  const entries = Object.entries(copies);
  if (entries.length < 2) return null;
  let best = entries[0] as [string, number];
  for (const entry of entries) if (outranks(entry, best)) best = entry;
  return best[0];
}

/**
 * Every folded copy → the copy it is folded into, for a whole corpus (ids in any order). `story`:
 * anything that identifies a story (a fingerprint, or storyText itself); null: never folded.
 */
export function foldCorpus(
  copies: Iterable<{ readonly id: string; readonly story: string | null; readonly richness: number }>,
): Map<string, string> {
  const groups = new Map<string, Record<string, number>>();
  for (const { id, story, richness } of copies) {
    if (story === null) continue;
    const group = groups.get(story) ?? {};
    group[id] = richness;
    groups.set(story, group);
  }
  const folded = new Map<string, string>();
  for (const copies of groups.values()) {
    const winner = foldWinner(copies);
    if (winner) for (const id of Object.keys(copies)) if (id !== winner) folded.set(id, winner);
  }
  return folded;
}
