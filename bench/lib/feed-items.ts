/**
 * Generated articles → real FeedItems, through kiosque's own pipeline stages (parse, learn
 * chrome, clean, compose, ledger record, feed item, assemble), without storage or publishing.
 * Used to time rendering on realistic items.
 *
 * Must not: render or publish (the bench times that separately).
 */

import { type CorpusFormat, generateArticle } from '../../scripts/generate-corpus.ts';
import { cleanCorpus } from '../../src/core/corpus/clean-corpus.ts';
import type { FeedDocument, FeedItem, RawDocument, SiteInfo } from '../../src/core/model.ts';
import { makeSlug } from '../../src/core/normalise/make-slug.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../../src/core/normalise/to-feed-item.ts';
import { assembleFeed } from '../../src/core/plan/assemble-feed.ts';
import { advanceItemRecord } from '../../src/core/state/item-record.ts';

export const BENCH_SITE: SiteInfo = {
  title: 'Kiosque bench',
  description: 'Synthetic articles for the benchmark',
  baseUrl: 'https://news.example',
  language: 'fr',
  ttlMinutes: 15,
};

const FORMATS: Readonly<Record<CorpusFormat, RawDocument['format']>> = {
  txt: 'text',
  md: 'markdown',
  html: 'html',
};

/** Articles `from..from+count-1` as RawDocuments, grouped by source like collectContent does. */
export function generatedRawDocuments(seed: number, count: number, from = 0): RawDocument[] {
  const raws: RawDocument[] = [];
  for (let i = from; i < from + count; i++) {
    const a = generateArticle(seed, i);
    raws.push({
      sourceId: a.path,
      file: a.path.split('/').pop() ?? a.path,
      source: a.source,
      format: FORMATS[a.format],
      body: a.body,
    });
  }
  return raws;
}

/** `count` FeedItems as the pipeline would make them on first sight, assembled newest first. */
export async function generatedFeed(seed: number, count: number): Promise<FeedDocument> {
  const cleaned = cleanCorpus(generatedRawDocuments(seed, count), BENCH_SITE.language);
  const now = Date.UTC(2025, 0, 1);
  const items: FeedItem[] = [];
  let n = 0;
  for (const clean of cleaned.documents) {
    const content = composeItemContent(clean, BENCH_SITE);
    const record = await advanceItemRecord(
      null,
      {
        sourceId: clean.raw.sourceId,
        identityKey: clean.raw.sourceId,
        slug: makeSlug(clean.raw.sourceId),
        contentHash: await hashItemContent(content),
      },
      new Date(now - 1000 * n++),
    );
    items.push(toFeedItem(content, record, BENCH_SITE));
  }
  return assembleFeed(items, BENCH_SITE, new Date(now).toISOString());
}
