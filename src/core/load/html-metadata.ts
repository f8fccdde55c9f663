/**
 * Metadata an HTML page states about itself, before any cleaning.
 * Input: the page's DOM (domhandler root) and its base URL. Output: ArticleMetadata.
 *
 * Precedence (first wins): JSON-LD (NewsArticle/Article…) > OpenGraph and article:* > <meta name>
 * > <title>, <html lang>, <link rel=canonical>, the first <time datetime>, the first article image.
 * Relative URLs (canonical, image) are resolved against the base URL; lazy images are read from
 * data-src / data-lazy-src / data-original / srcset before src (src is often a placeholder).
 * One walk collects every fact: a dozen CSS selectors would each re-walk a 100 kB page.
 *
 * Must not: read or judge the body text (the cleaner infers from text), or mutate the DOM.
 * No tunables.
 */
import type { AnyNode, Element } from 'domhandler';
import type { ArticleMetadata } from '../model.ts';
import { isElement, rawText, tidy } from './html-dom.ts';
import { mergeMetadata, normaliseMetadata } from './normalise-metadata.ts';
import { pageSite, pageTitle } from './page-title.ts';

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

type Json = Record<string, unknown>;

/** What one walk over the page collects. */
interface PageFacts {
  /** `property:og:title`, `name:author`, `itemprop:datepublished` → contents, in document order. */
  readonly metas: Map<string, string[]>;
  readonly jsonLd: string[];
  title: string | undefined;
  /** Text of the first <h1> (page-title.ts weighs it against <title>). */
  h1: string | undefined;
  lang: string | undefined;
  canonical: string | undefined;
  /** First <time datetime> inside an <article>, and on the whole page. */
  articleTime: string | undefined;
  pageTime: string | undefined;
  /** First usable image inside itemprop=articleBody / <article> / <main>. */
  articleImage: string | undefined;
  /** The first `<base href>`. */
  baseHref: string | undefined;
}

/** Attributes that hold the real address of a lazy-loaded image, most specific first. */
const LAZY_SRC_ATTRIBUTES = [
  'data-src',
  'data-lazy-src',
  'data-original',
  'data-url',
  'data-srcset',
  'srcset',
  'src',
];

/** The address of an <img>: lazy attributes first, the first candidate of a srcset, no data: URIs. */
export function imageSource(attribs: Readonly<Record<string, string>>): string | undefined {
  for (const name of LAZY_SRC_ATTRIBUTES) {
    const value = attribs[name]?.trim();
    if (!value) continue;
    const first = name.endsWith('srcset') ? value.split(',')[0]?.trim().split(/\s+/)[0] : value;
    if (first && !first.startsWith('data:')) return first;
  }
  return undefined;
}

function collectFacts(root: AnyNode): PageFacts {
  const facts: PageFacts = {
    metas: new Map(),
    jsonLd: [],
    title: undefined,
    h1: undefined,
    lang: undefined,
    canonical: undefined,
    articleTime: undefined,
    pageTime: undefined,
    articleImage: undefined,
    baseHref: undefined,
  };
  const addMeta = (key: string, value: string | undefined): void => {
    const v = value?.trim();
    if (!v) return;
    const list = facts.metas.get(key);
    if (list) list.push(v);
    else facts.metas.set(key, [v]);
  };
  const walk = (node: AnyNode, inArticle: boolean): void => {
    if (!isElement(node)) return;
    const a = node.attribs;
    switch (node.name) {
      case 'html':
        facts.lang ??= a.lang || a['xml:lang'] || undefined;
        break;
      case 'meta': {
        if (a.property) addMeta(`property:${a.property.toLowerCase()}`, a.content);
        if (a.name) addMeta(`name:${a.name.toLowerCase()}`, a.content);
        if (a.itemprop) addMeta(`itemprop:${a.itemprop.toLowerCase()}`, a.content ?? a.datetime);
        return;
      }
      case 'script':
        if (a.type?.toLowerCase() === 'application/ld+json') facts.jsonLd.push(rawText(node));
        return;
      case 'title':
        if (facts.title === undefined && !inSvg(node)) facts.title = tidy(rawText(node));
        return;
      case 'base':
        facts.baseHref ??= a.href?.trim() || undefined;
        return;
      case 'h1':
        facts.h1 ??= tidy(rawText(node)) || undefined;
        break;
      case 'link':
        if (a.rel?.toLowerCase().split(/\s+/).includes('canonical')) facts.canonical ??= a.href;
        return;
      case 'time':
        if (a.datetime) {
          facts.pageTime ??= a.datetime;
          if (inArticle) facts.articleTime ??= a.datetime;
        }
        break;
      case 'img':
        if (inArticle) facts.articleImage ??= imageSource(a);
        return;
    }
    const article =
      inArticle || node.name === 'article' || node.name === 'main' || a.itemprop === 'articleBody';
    for (const child of node.children) walk(child, article);
  };
  if ('children' in root) for (const child of (root as Element).children) walk(child, false);
  return facts;
}

function inSvg(node: Element): boolean {
  for (let p = node.parent as Element | null; p && isElement(p); p = p.parent as Element | null)
    if (p.name === 'svg') return true;
  return false;
}

/** Every JSON-LD object on the page, arrays and @graph flattened. */
function jsonLdNodes(scripts: readonly string[]): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      out.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  for (const text of scripts) {
    try {
      visit(JSON.parse(text));
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  }
  return out;
}

function isArticleNode(o: Json): boolean {
  const t = o['@type'];
  const types = Array.isArray(t) ? t : [t];
  return types.some((x) => typeof x === 'string' && ARTICLE_TYPES.has(x));
}

function jsonLdMetadata(facts: PageFacts): ArticleMetadata {
  const nodes = jsonLdNodes(facts.jsonLd).filter(isArticleNode);
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

function openGraphMetadata(facts: PageFacts): ArticleMetadata {
  const m = (key: string): string | undefined => facts.metas.get(`property:${key}`)?.[0];
  const author = m('article:author');
  const tags = facts.metas.get('property:article:tag');
  return normaliseMetadata({
    title: m('og:title'),
    summary: m('og:description'),
    publisher: m('og:site_name'),
    image: m('og:image') ?? m('og:image:url') ?? m('og:image:secure_url'),
    url: m('og:url'),
    date: m('article:published_time'),
    updated: m('article:modified_time'),
    // article:author is often a profile URL, which is not a name.
    author: author && !/^https?:/i.test(author) ? author : undefined,
    tags: tags && tags.length > 0 ? tags : undefined,
  });
}

function namedMetaMetadata(facts: PageFacts): ArticleMetadata {
  const m = (key: string): string | undefined => facts.metas.get(key)?.[0];
  return normaliseMetadata({
    author: m('name:author'),
    summary: m('name:description'),
    tags: m('name:keywords'),
    image: m('name:twitter:image') ?? m('property:twitter:image'),
    date: m('name:date') ?? m('name:pubdate') ?? m('name:dc.date') ?? m('itemprop:datepublished'),
  });
}

function documentMetadata(facts: PageFacts): ArticleMetadata {
  return normaliseMetadata({
    title: pageTitle(facts.title, facts.h1),
    publisher: pageSite(facts.title),
    lang: facts.lang,
    url: facts.canonical,
    date: facts.articleTime ?? facts.pageTime,
    image: facts.articleImage,
  });
}

function resolveAgainst(v: string | undefined, base: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    return new URL(v, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Resolve url/image against the page's base URL; drop values that are not URLs at all. A saved
 * page has no base of its own: its image then resolves against its canonical URL.
 */
function resolveUrls(meta: ArticleMetadata, base: string | undefined): ArticleMetadata {
  const { url, image, ...rest } = meta;
  const u = resolveAgainst(url, base);
  const i = resolveAgainst(image, base ?? u);
  return { ...rest, ...(u ? { url: u } : {}), ...(i ? { image: i } : {}) };
}

/** A page's metadata and the base its relative addresses resolve against. */
export interface HtmlPageFacts {
  readonly metadata: ArticleMetadata;
  /** `<base href>` (against the fetched URL), else the fetched URL; undefined for a saved page. */
  readonly base: string | undefined;
}

/** Every layer of the page's own metadata, merged (earlier layers win), URLs made absolute. */
export function readHtmlPage(root: AnyNode, baseUrl: string | undefined): HtmlPageFacts {
  const facts = collectFacts(root);
  const markup = mergeMetadata(
    jsonLdMetadata(facts),
    openGraphMetadata(facts),
    namedMetaMetadata(facts),
    documentMetadata(facts),
  );
  const own = resolveAgainst(facts.baseHref, baseUrl);
  const base = own && /^https?:/i.test(own) ? own : baseUrl;
  return { metadata: resolveUrls(markup, base), base };
}

/** Every layer of the page's own metadata, merged (earlier layers win), URLs made absolute. */
export function readHtmlMetadata(root: AnyNode, baseUrl: string | undefined): ArticleMetadata {
  return readHtmlPage(root, baseUrl).metadata;
}
