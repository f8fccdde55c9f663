/** Catalog entries for the site-index and index-changes tests: article n, published n hours into 2026. */
import type { CatalogEntry } from '../../../src/core/state/item-catalog.ts';

export function catalogEntry(
  n: number,
  published: number,
  tags: string[],
  publisher: string | null,
  rev: number,
): CatalogEntry {
  const date = new Date(Date.UTC(2026, 0, 1) + published * 3_600_000).toISOString();
  return {
    sourceId: `content/${n}.md`,
    id: `urn:uuid:${n}`,
    slug: `article-${n}`,
    published: date,
    updated: date,
    digest: `d${n}-${rev}`,
    tags,
    ...(publisher ? { publisher } : {}),
    warnings: 0,
  };
}
