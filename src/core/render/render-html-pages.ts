/**
 * HTML page renderers: FeedDocument → the index page (or a tag/publisher page, which is
 * an index of one topic); FeedItem + SiteInfo → one article page (`/articles/<slug>`).
 * All HTML5, UTF-8, no scripts. The index also lists every feed, tag and publisher with
 * discovery links; an article page links (`rel="alternate"`) to the feeds of its tags.
 *
 * Interface wording and dates are in the site's language (i18n/translate.ts): the page is
 * `lang` = the site's language, an article's own text carries the item's language.
 *
 * Must not: run or embed scripts (a later CSP forbids them), use inline `style=`
 * attributes, format dates other than through i18n/translate.ts (explicit UTC, so output
 * is byte-identical), or emit any text unescaped. `item.contentHtml` is the only
 * markup inserted as is: the clean stage has already sanitised it.
 * Tunables: UI wording in i18n/ (one table per language), the stylesheet in PAGE_STYLE (a
 * later CSP can allow it by hash: it is the exact text between `<style>` and `</style>`).
 */
import type { FeedDocument, FeedItem, SiteInfo } from '../model.ts';
import { PAGE_STYLE } from '../page-style.ts';
import { toHref, toHttpHref } from './absolute-url.ts';
import { FEED_FORMAT_LIST, FEED_FORMATS } from './feed-formats.ts';
import type { FeedLinks } from './feed-links.ts';
import { toIsoDay, toRfc3339 } from './format-dates.ts';
import { type Locale, localeFor } from './i18n/translate.ts';
import { escapeHtml, stripInvalidXmlChars } from './xml-text.ts';

/** A tag or publisher with its own page and feeds. */
export interface TopicLink {
  readonly label: string;
  /** Absolute URL of the topic's HTML page (also `feeds.home`). */
  readonly page: string;
  readonly feeds: FeedLinks;
}

/** What the home page lists besides the items. */
export interface SiteDirectory {
  readonly tags: readonly TopicLink[];
  readonly publishers: readonly TopicLink[];
  /** Absolute URL of `/opml.xml`. */
  readonly opml?: string;
}

export interface IndexPageOptions {
  readonly directory?: SiteDirectory;
  /** For a topic page: the site home, linked from a "back" navigation. */
  readonly backTo?: { readonly href: string; readonly title: string };
}

/** The feed formats as pages offer them (feed-formats.ts; labels are the same in every language). */
export const FEED_TYPES = FEED_FORMAT_LIST.map((key) => ({
  key,
  type: FEED_FORMATS[key].mediaType,
  label: FEED_FORMATS[key].label,
}));

export function attr(value: string): string {
  return `"${escapeHtml(value)}"`;
}

/** A quoted href attribute value with the URL serialised as in the feeds. */
export function href(url: string): string {
  return attr(toHref(url));
}

function feedAlternates(title: string, links: FeedLinks, language: string): string {
  let out = '';
  for (const feed of FEED_TYPES) {
    out += `<link rel="alternate" type="${feed.type}" hreflang=${attr(language)} title=${attr(`${title} (${feed.label})`)} href=${href(links[feed.key])}>\n`;
  }
  return out;
}

function head(
  title: string,
  description: string,
  canonical: string,
  site: SiteInfo,
  links: FeedLinks,
  topics: readonly TopicLink[] = [],
): string {
  let out = '<head>\n<meta charset="utf-8">\n';
  out += '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
  out += `<title>${escapeHtml(title)}</title>\n`;
  if (description.trim() !== '') out += `<meta name="description" content=${attr(description)}>\n`;
  out += `<link rel="canonical" href=${href(canonical)}>\n`;
  out += feedAlternates(site.title, links, site.language);
  for (const topic of topics)
    out += feedAlternates(`${site.title} — ${topic.label}`, topic.feeds, site.language);
  out += `<style>${PAGE_STYLE}</style>\n</head>\n`;
  return out;
}

function feedAnchors(links: FeedLinks): string[] {
  return FEED_TYPES.map(
    (feed) => `<a href=${href(links[feed.key])} type="${feed.type}">${escapeHtml(feed.label)}</a>`,
  );
}

function subscribeNav(links: FeedLinks, locale: Locale): string {
  const anchors = feedAnchors(links);
  const label = locale.t.subscribe;
  return `<nav aria-label=${attr(label)}>${escapeHtml(label)}${locale.t.colon} ${anchors.join(' ')}</nav>\n`;
}

function time(iso: string, locale: Locale): string {
  return `<time datetime="${toRfc3339(iso)}">${escapeHtml(locale.day(iso))}</time>`;
}

function hasText(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function indexEntry(item: FeedItem, locale: Locale): string {
  const meta = [time(item.published, locale)];
  if (hasText(item.author)) meta.push(escapeHtml(item.author));
  let out = `<li><article lang=${attr(item.language)}>\n`;
  out += `<h2><a href=${href(item.url)}>${escapeHtml(item.title)}</a></h2>\n`;
  out += `<p class="meta">${meta.join(' · ')}</p>\n`;
  if (hasText(item.lead)) out += `<p>${escapeHtml(item.lead)}</p>\n`;
  out += '</article></li>\n';
  return out;
}

function topicList(heading: string, topics: readonly TopicLink[]): string {
  if (topics.length === 0) return '';
  let out = `<section>\n<h2>${escapeHtml(heading)}</h2>\n<ul class="tags">\n`;
  for (const topic of topics) {
    // No item counts: a count would change the home page (and re-render its hundred newest
    // items) with every article entering or leaving a tag, and its ETag with it.
    out += `<li><a href=${href(topic.page)}>${escapeHtml(topic.label)}</a></li>\n`;
  }
  return `${out}</ul>\n</section>\n`;
}

function directorySection(links: FeedLinks, directory: SiteDirectory, locale: Locale): string {
  const { t } = locale;
  let out = `<section>\n<h2>${escapeHtml(t.feeds)}</h2>\n<ul class="feeds">\n`;
  out += `<li>${feedAnchors(links).join(' ')}</li>\n`;
  if (directory.opml !== undefined) {
    out += `<li><a href=${href(directory.opml)} type="text/x-opml">${escapeHtml(t.opml)}</a></li>\n`;
  }
  out += '</ul>\n</section>\n';
  out += topicList(t.tags, directory.tags);
  out += topicList(t.publishers, directory.publishers);
  return out;
}

/**
 * The home page (site title and description, feed links, items newest first, and the
 * directory of feeds, tags and publishers) or, with `backTo`, one topic's page.
 */
export function renderIndexPage(doc: FeedDocument, links: FeedLinks, options: IndexPageOptions = {}): string {
  const { site } = doc;
  const locale = localeFor(site.language);
  let out = `<!doctype html>\n<html lang=${attr(locale.language)}>\n`;
  out += head(site.title, site.description, links.home, site, links);
  out += '<body>\n<header>\n';
  if (options.backTo !== undefined) {
    out += `<nav><a href=${href(options.backTo.href)}>← ${escapeHtml(options.backTo.title)}</a></nav>\n`;
  }
  out += `<h1>${escapeHtml(site.title)}</h1>\n`;
  if (hasText(site.description)) out += `<p>${escapeHtml(site.description)}</p>\n`;
  out += subscribeNav(links, locale);
  out += '</header>\n<main>\n';
  if (doc.items.length === 0) out += `<p>${escapeHtml(locale.t.empty)}</p>\n`;
  else out += `<ol class="items">\n${doc.items.map((item) => indexEntry(item, locale)).join('')}</ol>\n`;
  if (options.directory !== undefined) out += directorySection(links, options.directory, locale);
  out += '</main>\n</body>\n</html>\n';
  return out;
}

/**
 * One article's permalink page. Canonical is the original article when known. `topics`
 * are the item's tags that have feeds: each gets `rel="alternate"` links and its label
 * links to the tag's page.
 */
export function renderArticlePage(
  item: FeedItem,
  site: SiteInfo,
  links: FeedLinks,
  topics: readonly TopicLink[] = [],
): string {
  // Only http(s) URLs become links: a `javascript:` URL from metadata must not.
  const external = toHttpHref(item.externalUrl);
  const locale = localeFor(site.language);
  const { t } = locale;
  let out = `<!doctype html>\n<html lang=${attr(locale.language)}>\n`;
  out += head(`${item.title} — ${site.title}`, item.lead, external ?? item.url, site, links, topics);
  out += '<body>\n<header>\n';
  out += `<nav><a href=${href(links.home)}>← ${escapeHtml(t.allArticles)} · ${escapeHtml(site.title)}</a></nav>\n`;
  // The article's own words carry the item's language; the wording around them the site's.
  const itemLang = `lang=${attr(item.language)}`;
  out += '</header>\n<main>\n<article>\n';
  out += `<h1 ${itemLang}>${escapeHtml(item.title)}</h1>\n`;
  const meta: string[] = [];
  if (hasText(item.author)) meta.push(`${escapeHtml(t.by)} ${escapeHtml(item.author)}`);
  if (hasText(item.publisher)) meta.push(escapeHtml(item.publisher));
  let dates = `${escapeHtml(t.published)} ${time(item.published, locale)}`;
  if (toIsoDay(item.updated) !== toIsoDay(item.published)) {
    dates += ` (${escapeHtml(t.updated)} ${time(item.updated, locale)})`;
  }
  meta.push(dates);
  out += `<p class="meta">${meta.join(' · ')}</p>\n`;
  // Images below the fold load when scrolled to (the body is sanitised: "<img " is only ever a tag).
  const body = stripInvalidXmlChars(item.contentHtml).replaceAll('<img ', '<img loading="lazy" ');
  out += `<div class="content" ${itemLang}>
${body}
</div>
`;
  if (item.tags.length > 0) {
    const pages = new Map(topics.map((topic) => [topic.label.toLowerCase(), topic.page]));
    const tags = item.tags
      .map((tag) => {
        const page = pages.get(tag.toLowerCase());
        return page === undefined
          ? `<li>${escapeHtml(tag)}</li>`
          : `<li><a href=${href(page)} rel="tag">${escapeHtml(tag)}</a></li>`;
      })
      .join('');
    out += `<ul class="tags" aria-label="${escapeHtml(t.tags)}">${tags}</ul>\n`;
  }
  if (external !== undefined) {
    out += `<p><a href=${href(external)} rel="external">${escapeHtml(t.source)}</a></p>\n`;
  }
  out += '</article>\n</main>\n<footer>\n';
  out += subscribeNav(links, locale);
  out += '</footer>\n</body>\n</html>\n';
  return out;
}
