/**
 * HTML parser: the page's own metadata, then candidate blocks from its main content.
 * Input: RawDocument (format `html`). Output: ParsedDocument whose blocks carry `linkDensity`.
 *
 * Steps: parse with cheerio's htmlparser2 backend (`cheerio/slim`, 2.5× faster than parse5 here);
 * read metadata (html-metadata.ts); restore <noscript> image fallbacks (html-media.ts); drop
 * non-content elements (prune-html.ts); score containers Readability-style and keep good siblings
 * (score-containers.ts); drop link-heavy widgets inside the winner; emit blocks (html-blocks.ts)
 * and the media between them (html-media.ts). The cleaner then classifies those blocks like text
 * and judges the media on the result. Removals the main-prose guard refused and what winner
 * growth added are returned as `structure` (the explain trace; structure-trace.ts).
 *
 * Base URL of relative media: `<base href>`, else the fetched URL, else the canonical URL (the
 * explicit `url`, og:url, JSON-LD url, `<link rel=canonical>`); none for a saved page that states
 * none (its relative media are then dropped with a warning by the cleaner).
 *
 * Must not: decide block by block what is boilerplate (the cleaner does) or fetch anything.
 * Tunables: rules.ts (HTML path section).
 */
import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { holdsMainProse } from '../clean/main-prose-guard.ts';
import type { ParsedDocument, RawDocument, RawMedia, Removal, StructureDecision } from '../model.ts';
import { emitBlocks } from './html-blocks.ts';
import { classAndId, descendants, isElement } from './html-dom.ts';
import {
  MEDIA_TAGS,
  type MediaScope,
  readMedia,
  restoreNoscriptImages,
  stashMedia,
  unstashMedia,
} from './html-media.ts';
import { readHtmlPage } from './html-metadata.ts';
import { measure, type StatsCache } from './measure-html.ts';
import { mergeMetadata } from './normalise-metadata.ts';
import { pruneChrome, pruneWidgets } from './prune-html.ts';
import { findMainContent } from './score-containers.ts';

/** The <body> element, or the first element of the document when the markup has none. */
function bodyOf(root: { children: readonly unknown[] }, $: ReturnType<typeof load>): Element | undefined {
  const body = $('body').get(0);
  if (body) return body;
  return (root.children as Element[]).find((n) => isElement(n));
}

/**
 * The content roots and a main-prose test over their final tree (after widget pruning, with a
 * fresh cache): an ancestor of a medium that holds most of the content's non-link text is the
 * article's wrapper, and its class does not describe the medium.
 */
function mediaScope(roots: readonly Element[]): MediaScope {
  const cache: StatsCache = new Map();
  const prose = (el: Element): number => {
    const s = measure(el, cache);
    return s.chars - s.linkChars;
  };
  const whole = roots.reduce((n, r) => n + prose(r), 0);
  return {
    roots: new Set(roots),
    holdsMainProse: (el) => holdsMainProse(prose(el), whole, classAndId(el)),
  };
}

export function parseHtml(raw: RawDocument): ParsedDocument {
  const $ = load(raw.body);
  const doc = $.root().get(0);
  if (!doc) return { raw, metadata: raw.metadata ?? {}, blocks: [] };
  // Metadata first: JSON-LD lives in <script>, which pruning drops.
  const page = readHtmlPage(doc, raw.baseUrl);
  const metadata = mergeMetadata(raw.metadata, page.metadata);
  const base = page.base ?? (metadata.url && /^https?:/i.test(metadata.url) ? metadata.url : undefined);
  // The DOM is private to this parse: pruning it in place mutates nothing the caller holds.
  restoreNoscriptImages(doc);
  const stash = stashMedia(doc);
  const body0 = bodyOf(doc, $);
  const everyMedium = body0 ? descendants(body0, MEDIA_TAGS) : [];
  // Guard refusals and winner growth, for the explain trace.
  const structure: StructureDecision[] = [];
  pruneChrome(doc, structure);
  const body = bodyOf(doc, $);
  if (!body) return { raw, metadata, blocks: [] };
  const cache: StatsCache = new Map();
  const { roots, scores } = findMainContent(body, cache, structure, stash);
  const dropped: Removal[] = [];
  for (const root of roots) pruneWidgets(root, cache, scores, dropped, structure);
  const media: RawMedia[] = [];
  const scope = mediaScope(roots);
  const seen = new Set<Element>();
  const blocks = emitBlocks(roots, (el, at, span) => {
    seen.add(el);
    unstashMedia(el, stash);
    const m = readMedia(el, base, scope);
    if (m) media.push({ ...m, at, span });
  });
  // Media in regions the loader dropped are listed too, so `--explain` names a rule for each.
  for (const el of everyMedium) {
    if (seen.has(el)) continue;
    unstashMedia(el, stash);
    const m = readMedia(el, base, scope);
    if (m) media.push({ ...m, at: -1, span: 0, outside: true });
  }
  const parsed: ParsedDocument = {
    raw,
    metadata,
    blocks,
    ...(dropped.length > 0 ? { dropped } : {}),
    ...(structure.length > 0 ? { structure } : {}),
  };
  return media.length > 0 ? { ...parsed, media } : parsed;
}
