/**
 * HTML parser: metadata from the page's own markup, then candidate blocks from its main container.
 * Input: RawDocument (format `html`). Output: ParsedDocument whose blocks carry `linkDensity`.
 *
 * Metadata precedence (first wins): raw.metadata > JSON-LD (NewsArticle/Article…) > OpenGraph and
 * article:* > <meta name> > <title>, <html lang>, <link rel=canonical>.
 * Container: [itemprop=articleBody] > the <article> with most paragraph text > <main> > the element
 * whose paragraphs score highest (Readability-style: paragraph length + commas, half to the
 * grandparent). A later issue will refine the scoring.
 *
 * Must not: decide what is boilerplate inside the container (the cleaner does) or fetch anything.
 * Tunables: the constants below (loader-only).
 */
import type { CheerioAPI } from 'cheerio/slim';
import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import type { ArticleMetadata, ParsedDocument, RawBlock, RawDocument } from '../model.ts';
import { mergeMetadata, normaliseMetadata } from './normalise-metadata.ts';

/** Elements that never hold article prose. */
const DROP_SELECTOR = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'canvas',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'dialog',
  'menu',
  'figure',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(',');

/** A container candidate needs at least this much paragraph text to be trusted. */
const MIN_CONTAINER_TEXT = 140;
/** Paragraphs shorter than this do not vote in the fallback scoring. */
const MIN_SCORED_PARAGRAPH = 25;

const ARTICLE_TYPES = new Set([
  'Article',
  'NewsArticle',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'BlogPosting',
  'SocialMediaPosting',
  'ScholarlyArticle',
  'TechArticle',
  'Report',
  'WebPage',
]);

const HEADING = /^h([1-6])$/;
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'img',
  'ins',
  'kbd',
  'label',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
]);
const WHITESPACE_RUN = /\s+/gu;

const tidy = (s: string): string => s.replace(WHITESPACE_RUN, ' ').trim();

type Json = Record<string, unknown>;

/** Every JSON-LD object on the page, arrays and @graph flattened. */
function jsonLdNodes($: CheerioAPI): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      out.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      visit(JSON.parse($(el).text()));
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  });
  return out;
}

function isArticleNode(o: Json): boolean {
  const t = o['@type'];
  const types = Array.isArray(t) ? t : [t];
  return types.some((x) => typeof x === 'string' && ARTICLE_TYPES.has(x));
}

function jsonLdMetadata($: CheerioAPI): ArticleMetadata {
  const nodes = jsonLdNodes($).filter(isArticleNode);
  // Prefer a real article type over a generic WebPage.
  const node = nodes.find((n) => n['@type'] !== 'WebPage') ?? nodes[0];
  if (!node) return {};
  const publisher = node.publisher as Json | string | undefined;
  return normaliseMetadata({
    title: node.headline ?? node.name,
    author: node.author,
    date: node.datePublished ?? node.dateCreated,
    updated: node.dateModified,
    publisher: typeof publisher === 'object' && publisher !== null ? publisher.name : publisher,
    tags: node.keywords,
    summary: node.description,
    image: node.image,
    url: node.url ?? node.mainEntityOfPage,
    lang: node.inLanguage,
  });
}

function metaContent($: CheerioAPI, selector: string): string | undefined {
  const v = $(selector).first().attr('content');
  return v?.trim() || undefined;
}

function openGraphMetadata($: CheerioAPI): ArticleMetadata {
  const author = metaContent($, 'meta[property="article:author"]');
  const tags = $('meta[property="article:tag"]')
    .map((_, el) => $(el).attr('content') ?? '')
    .get()
    .filter((t) => t.trim());
  return normaliseMetadata({
    title: metaContent($, 'meta[property="og:title"]'),
    summary: metaContent($, 'meta[property="og:description"]'),
    publisher: metaContent($, 'meta[property="og:site_name"]'),
    image: metaContent($, 'meta[property="og:image"]'),
    url: metaContent($, 'meta[property="og:url"]'),
    date: metaContent($, 'meta[property="article:published_time"]'),
    updated: metaContent($, 'meta[property="article:modified_time"]'),
    // article:author is often a profile URL, which is not a name.
    author: author && !/^https?:/i.test(author) ? author : undefined,
    tags: tags.length > 0 ? tags : undefined,
  });
}

function namedMetaMetadata($: CheerioAPI): ArticleMetadata {
  return normaliseMetadata({
    author: metaContent($, 'meta[name="author"]'),
    summary: metaContent($, 'meta[name="description"]'),
    tags: metaContent($, 'meta[name="keywords"]'),
    date:
      metaContent($, 'meta[name="date"]') ??
      metaContent($, 'meta[name="pubdate"]') ??
      metaContent($, 'meta[name="dc.date"]') ??
      metaContent($, 'meta[itemprop="datePublished"]'),
  });
}

function documentMetadata($: CheerioAPI): ArticleMetadata {
  return normaliseMetadata({
    title: tidy($('title').first().text()),
    lang: $('html').attr('lang'),
    url: $('link[rel="canonical"]').attr('href'),
  });
}

/** Resolve url/image against the page's base URL; drop values that are not URLs at all. */
function resolveUrls(meta: ArticleMetadata, base: string | undefined): ArticleMetadata {
  const resolve = (v: string | undefined): string | undefined => {
    if (!v) return undefined;
    try {
      return new URL(v, base).href;
    } catch {
      return undefined;
    }
  };
  const { url, image, ...rest } = meta;
  const u = resolve(url);
  const i = resolve(image);
  return { ...rest, ...(u ? { url: u } : {}), ...(i ? { image: i } : {}) };
}

/** Total text length of the <p> elements inside an element. */
function paragraphText($: CheerioAPI, el: Element): number {
  let n = 0;
  $(el)
    .find('p')
    .each((_, p) => {
      n += tidy($(p).text()).length;
    });
  return n;
}

function pickContainer($: CheerioAPI): Element | undefined {
  const best = (selector: string): Element | undefined => {
    let top: Element | undefined;
    let topScore = MIN_CONTAINER_TEXT - 1;
    $(selector).each((_, node) => {
      if (node.type !== 'tag') return;
      const el = node as Element;
      const score = paragraphText($, el);
      if (score > topScore) {
        top = el;
        topScore = score;
      }
    });
    return top;
  };
  const direct = best('[itemprop="articleBody"]') ?? best('article') ?? best('main') ?? best('[role="main"]');
  if (direct) return direct;

  // Readability-style fallback: paragraphs vote for their parent (full) and grandparent (half).
  const scores = new Map<Element, number>();
  $('p').each((_, p) => {
    const text = tidy($(p).text());
    if (text.length < MIN_SCORED_PARAGRAPH) return;
    const score = 1 + text.split(',').length + Math.min(3, Math.floor(text.length / 100));
    const parent = p.parent?.type === 'tag' ? (p.parent as Element) : undefined;
    if (!parent) return;
    scores.set(parent, (scores.get(parent) ?? 0) + score);
    const grand = parent.parent?.type === 'tag' ? (parent.parent as Element) : undefined;
    if (grand) scores.set(grand, (scores.get(grand) ?? 0) + score / 2);
  });
  let top: Element | undefined;
  let topScore = 0;
  for (const [el, score] of scores) {
    if (score > topScore) {
      top = el;
      topScore = score;
    }
  }
  return top ?? ($('body').get(0) as Element | undefined);
}

/** Text and in-link text of a node, for block text and link density. */
function measure($: CheerioAPI, node: AnyNode): { text: string; linkChars: number } {
  const text = tidy($(node).text());
  let linkChars = 0;
  if (node.type === 'tag' && (node as Element).name === 'a') linkChars = text.length;
  else
    $(node)
      .find('a')
      .each((_, a) => {
        linkChars += tidy($(a).text()).length;
      });
  return { text, linkChars };
}

function density(linkChars: number, text: string): number {
  return text.length > 0 ? Math.min(1, linkChars / text.length) : 0;
}

/** Walk a container in document order, emitting one RawBlock per block-level element. */
function emitBlocks($: CheerioAPI, root: Element): RawBlock[] {
  const blocks: RawBlock[] = [];
  let buffer = '';
  let bufferLinks = 0;
  const flush = (): void => {
    const text = tidy(buffer);
    if (text) blocks.push({ text, hint: 'paragraph', linkDensity: density(bufferLinks, text) });
    buffer = '';
    bufferLinks = 0;
  };
  const walk = (parent: Element): void => {
    for (const node of parent.children) {
      if (node.type === 'text') {
        buffer += (node as unknown as { data: string }).data;
        continue;
      }
      if (node.type !== 'tag') continue;
      const el = node as Element;
      const name = el.name.toLowerCase();
      if (INLINE.has(name)) {
        const m = measure($, el);
        buffer += ` ${m.text} `;
        bufferLinks += m.linkChars;
        continue;
      }
      flush();
      const heading = HEADING.exec(name);
      if (heading) {
        const m = measure($, el);
        if (m.text)
          blocks.push({
            text: m.text,
            hint: 'heading',
            level: Number(heading[1]),
            linkDensity: density(m.linkChars, m.text),
          });
      } else if (name === 'p' || name === 'pre' || name === 'li' || name === 'dd' || name === 'dt') {
        const m = measure($, el);
        if (m.text)
          blocks.push({ text: m.text, hint: 'paragraph', linkDensity: density(m.linkChars, m.text) });
      } else if (name === 'blockquote') {
        const m = measure($, el);
        if (m.text) blocks.push({ text: m.text, hint: 'quote', linkDensity: density(m.linkChars, m.text) });
      } else if (name === 'ul' || name === 'ol') {
        const items = $(el)
          .children('li')
          .map((_, li) => tidy($(li).text()))
          .get()
          .filter((t) => t.length > 0);
        const m = measure($, el);
        if (items.length > 0)
          blocks.push({
            text: items.join('\n'),
            hint: 'list',
            items,
            ordered: name === 'ol',
            linkDensity: density(m.linkChars, m.text),
          });
      } else {
        walk(el);
        flush();
      }
    }
  };
  walk(root);
  flush();
  return blocks;
}

export function parseHtml(raw: RawDocument): ParsedDocument {
  const $ = load(raw.body);
  // Metadata first: JSON-LD lives in <script>, which the next step drops.
  const markup = mergeMetadata(
    jsonLdMetadata($),
    openGraphMetadata($),
    namedMetaMetadata($),
    documentMetadata($),
  );
  const metadata = mergeMetadata(raw.metadata, resolveUrls(markup, raw.baseUrl));
  $(DROP_SELECTOR).remove();
  // <br> separates words; without this "line one<br>line two" reads "line oneline two".
  $('br').replaceWith(' ');
  const root = pickContainer($);
  return { raw, metadata, blocks: root ? emitBlocks($, root) : [] };
}
