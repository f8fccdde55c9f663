/**
 * CleanDocument → FeedItem in two steps: `composeItemContent` (everything a reader sees,
 * explicit metadata over inferred, pure) and `toFeedItem` (adds the ledger's id, slug and
 * dates). The content hash of step one decides whether `updated` moves.
 *
 * Must not: read the clock or storage; invent dates (they come from metadata or the ledger).
 * Every stated field is checked once by check-fields.ts (plain text, INPUT_LIMITS, date range,
 * BCP 47); the lead cut from the first paragraph is at most MAX_LEAD_LENGTH.
 */

import { sha256Hex } from '../digest/hash.ts';
import type { CleanDocument, FeedItem, SiteInfo, Warning } from '../model.ts';
import type { ItemRecord } from '../state/item-record.ts';
import { blocksToHtml, blocksToText } from './blocks-to-html.ts';
import { createFieldChecker, shortenAtWord } from './check-fields.ts';
import { deriveTags } from './derive-tags.ts';
import { INPUT_LIMITS } from './input-limits.ts';
import { markArtefactsInHtml, markArtefactsInText } from './mark-artefacts.ts';

export { shortenAtWord } from './check-fields.ts';

/** Longest lead kept when it is cut from the first paragraph. */
const MAX_LEAD_LENGTH = 300;
const UNTITLED = 'Untitled';

/** What a reader sees of an item: the FeedItem's content fields, before the ledger adds id and dates. */
export type ItemContent = Pick<
  FeedItem,
  | 'sourceId'
  | 'title'
  | 'lead'
  | 'contentHtml'
  | 'contentText'
  | 'blocks'
  | 'language'
  | 'author'
  | 'publisher'
  | 'externalUrl'
  | 'image'
  | 'enclosures'
  | 'tags'
  | 'warnings'
> & {
  /** Explicit or inferred publication date (ISO), if any. */
  readonly date?: string;
  /** Explicit last-edit date (ISO), if any. */
  readonly updated?: string;
};

/** Everything a reader sees of the item, with explicit metadata taking precedence. */
export function composeItemContent(clean: CleanDocument, site: SiteInfo): ItemContent {
  const { metadata, inferred } = clean;
  const warnings: Warning[] = [...clean.warnings];
  const check = createFieldChecker(clean.raw.sourceId, warnings);
  const limits = INPUT_LIMITS;
  const firstParagraph = clean.blocks.find((b) => b.kind === 'paragraph')?.text ?? '';
  let title = check.text('title', metadata.title ?? inferred.title, limits.titleChars) ?? '';
  if (!title) {
    title = UNTITLED;
    warnings.push({ code: 'no-title', message: `no title could be found or derived for ${clean.raw.file}` });
  }
  const stated = metadata.summary ?? inferred.lead;
  const lead =
    stated === undefined
      ? shortenAtWord(firstParagraph, MAX_LEAD_LENGTH)
      : (check.text('summary', stated, limits.leadChars) ?? '');
  if (clean.blocks.length === 0) {
    warnings.push({ code: 'empty-body', message: `no content block survived cleaning in ${clean.raw.file}` });
  }
  const author = check.text('author', metadata.author ?? inferred.author, limits.nameChars);
  const publisher = check.text('publisher', metadata.publisher ?? inferred.publisher, limits.nameChars);
  const date = check.date('date', metadata.date ?? inferred.date);
  const updated = check.date('updated', metadata.updated);
  const language = check.language(metadata.lang, inferred.language, site.language) ?? site.language;
  // The lead image: explicit or meta-tag image first, else the first image the body keeps.
  const image = metadata.image ?? clean.media?.find((m) => m.kind === 'image')?.src;
  const enclosures = metadata.enclosures ?? [];
  return {
    sourceId: clean.raw.sourceId,
    title,
    lead,
    contentHtml: markArtefactsInHtml(blocksToHtml(clean.blocks, clean.media), language),
    contentText: markArtefactsInText(blocksToText(clean.blocks), language),
    blocks: clean.blocks,
    language,
    ...(author ? { author } : {}),
    ...(publisher ? { publisher } : {}),
    ...(metadata.url ? { externalUrl: metadata.url } : {}),
    ...(image ? { image } : {}),
    ...(enclosures.length > 0 ? { enclosures } : {}),
    // Explicit tags first, then the named entities the text repeats (derive-tags.ts).
    tags: check.tags(metadata.tags ?? [], deriveTags(clean.blocks, language)),
    ...(date ? { date } : {}),
    ...(updated ? { updated } : {}),
    warnings,
  };
}

/** Hash of what the reader sees: when it changes, `updated` moves. */
export function hashItemContent(content: ItemContent): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      content.title,
      content.lead,
      content.contentHtml,
      content.language,
      content.author ?? null,
      content.publisher ?? null,
      content.externalUrl ?? null,
      content.image ?? null,
      content.tags,
      content.date ?? null,
      content.updated ?? null,
      // Appended only when present, so the hash of an item without enclosures is unchanged.
      ...(content.enclosures ? [content.enclosures] : []),
    ]),
  );
}

/** The complete feed item: content plus the ledger's stable id, slug and dates. */
export function toFeedItem(content: ItemContent, record: ItemRecord, site: SiteInfo): FeedItem {
  const published = content.date ?? record.firstSeen;
  const changed = record.changedAt && record.changedAt > published ? record.changedAt : published;
  const updated = content.updated && content.updated > published ? content.updated : changed;
  return {
    id: record.id,
    slug: record.slug,
    url: `${site.baseUrl}/articles/${record.slug}`,
    ...(content.externalUrl ? { externalUrl: content.externalUrl } : {}),
    title: content.title,
    lead: content.lead,
    contentHtml: content.contentHtml,
    contentText: content.contentText,
    blocks: content.blocks,
    language: content.language,
    ...(content.author ? { author: content.author } : {}),
    ...(content.publisher ? { publisher: content.publisher } : {}),
    tags: content.tags,
    ...(content.image ? { image: content.image } : {}),
    ...(content.enclosures ? { enclosures: content.enclosures } : {}),
    published,
    updated,
    contentHash: record.contentHash,
    sourceId: content.sourceId,
    warnings: content.warnings,
  };
}
