/**
 * The image report of `npm run eval -- --images`: for each development page, how many `<img>`
 * the original page holds, how many images the published `content_html` keeps, whether a lead
 * figure joined the article (winner growth, subject `figure`), and which media-* rule of the
 * judge removed each of the others (the same decisions `kiosque clean --explain` prints).
 * Input: dev pages (dev-set.ts). Output: one row per page and the totals, as data and as text.
 *
 * Must not: copy dev-set pages anywhere or write files (eval.ts decides what is written).
 */
import * as cheerio from 'cheerio';
import { explainDocument } from '../../src/core/clean/clean-document.ts';
import { parseDocument } from '../../src/core/load/parse-document.ts';
import type { RawDocument, SiteInfo } from '../../src/core/model.ts';
import { composeItemContent } from '../../src/core/normalise/to-feed-item.ts';
import type { DevPage } from './dev-set.ts';

export interface ImageRow {
  readonly id: string;
  /** `<img>` elements anywhere in the original page (chrome included). */
  readonly inPage: number;
  /** Images, videos and audio the judge looked at (the loader's media of the article area). */
  readonly judged: number;
  /** `<img>` elements in the published content_html. */
  readonly published: number;
  /** A figure just outside the winning container joined the article (winner growth). */
  readonly leadFigure: boolean;
  /** The first published image sits before the first body block. */
  readonly imageFirst: boolean;
  /** Removed media per media-* rule. */
  readonly removed: Readonly<Record<string, number>>;
  /** What was kept: address and alt, for looking at the pages. */
  readonly kept: readonly { readonly src: string; readonly alt?: string }[];
}

export interface ImageTotals {
  readonly pages: number;
  readonly pagesWithImage: number;
  readonly imagesInPages: number;
  readonly judged: number;
  readonly published: number;
  readonly leadFigure: number;
  readonly imageFirst: number;
  readonly removed: Readonly<Record<string, number>>;
}

/** Only the content is rendered; the site fields reach no part of content_html. */
const SITE: SiteInfo = {
  title: 'eval',
  description: '',
  baseUrl: 'https://eval.invalid',
  language: 'en',
  ttlMinutes: 60,
};

const countImg = (html: string): number => cheerio.load(html)('img').length;

export function imageRow(page: DevPage): ImageRow {
  const raw: RawDocument = {
    sourceId: page.url || page.id,
    file: `${page.id}.html`,
    source: page.id,
    format: 'html',
    body: page.html,
    ...(page.url ? { baseUrl: page.url } : {}),
  };
  const parsed = parseDocument(raw);
  const { document, media, structure } = explainDocument(parsed, { defaultLanguage: 'en' });
  const removed: Record<string, number> = {};
  for (const m of media) if (m.decision === 'removed') removed[m.rule] = (removed[m.rule] ?? 0) + 1;
  const kept = (document.media ?? []).filter((m) => m.kind === 'image');
  return {
    id: page.id,
    inPage: countImg(page.html),
    judged: media.length,
    published: countImg(composeItemContent(document, SITE).contentHtml),
    leadFigure: structure.some((s) => s.rule === 'winner-growth' && s.subject === 'figure'),
    imageFirst: kept[0]?.before === 0,
    removed,
    kept: kept.map((m) => ({ src: m.src, ...(m.alt ? { alt: m.alt } : {}) })),
  };
}

export function imageTotals(rows: readonly ImageRow[]): ImageTotals {
  const removed: Record<string, number> = {};
  for (const r of rows)
    for (const [rule, n] of Object.entries(r.removed)) removed[rule] = (removed[rule] ?? 0) + n;
  const sum = (f: (r: ImageRow) => number): number => rows.reduce((n, r) => n + f(r), 0);
  return {
    pages: rows.length,
    pagesWithImage: rows.filter((r) => r.published > 0).length,
    imagesInPages: sum((r) => r.inPage),
    judged: sum((r) => r.judged),
    published: sum((r) => r.published),
    leadFigure: rows.filter((r) => r.leadFigure).length,
    imageFirst: rows.filter((r) => r.imageFirst).length,
    removed,
  };
}

/** The totals as a few lines of text, rules by count. */
export function formatImageTotals(t: ImageTotals): string {
  const rules = Object.entries(t.removed).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const removedTotal = rules.reduce((n, [, c]) => n + c, 0);
  return [
    `pages: ${t.pages}; pages publishing at least one image: ${t.pagesWithImage}`,
    `<img> in the original pages: ${t.imagesInPages}; media judged: ${t.judged}; <img> published: ${t.published}`,
    `pages with a lead figure (winner growth): ${t.leadFigure}; pages opening with an image: ${t.imageFirst}`,
    `media removed by the judge: ${removedTotal}`,
    ...rules.map(([rule, n]) => `  ${rule}: ${n}`),
  ].join('\n');
}
