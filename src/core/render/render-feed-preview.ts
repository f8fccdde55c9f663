/**
 * The browser view of a feed, without XSLT: one feed set (a scope's current feed or one archive
 * page: site, items, links of its three formats) → an HTML page in the site's language that says
 * what a feed is, gives the feed's address to copy, links to popular web readers (plain links,
 * no script) and lists the items with their localised dates and leads. Published next to the
 * feeds (`…/feed.html`, feed-links.ts PREVIEW_FILE); the app serves it at the feed's own URL to
 * a browser navigating there (app/http/browser-view.ts), so no browser depends on XSLT, which
 * Chromium is removing.
 *
 * Must not: run or embed scripts, use `style=` attributes (the one stylesheet is PAGE_STYLE,
 * allowed by the pages' CSP hash), read the clock, or emit any text unescaped.
 * Tunables: WEB_READERS (subscribe URL templates), wording in i18n/.
 */
import type { FeedDocument, FeedItem } from '../model.ts';
import { PAGE_STYLE } from '../page-style.ts';
import type { FeedLinks } from './feed-links.ts';
import { toRfc3339 } from './format-dates.ts';
import { type Locale, localeFor } from './i18n/translate.ts';
import { attr, FEED_TYPES, href } from './render-html-pages.ts';
import { escapeHtml } from './xml-text.ts';

/** Web readers that subscribe from a URL in their address bar (no script, no account needed to see). */
export const WEB_READERS: readonly { readonly name: string; readonly subscribe: (feed: string) => string }[] =
  [
    {
      name: 'Feedly',
      subscribe: (feed) => `https://feedly.com/i/subscription/feed/${encodeURIComponent(feed)}`,
    },
    {
      name: 'Inoreader',
      subscribe: (feed) => `https://www.inoreader.com/?add_feed=${encodeURIComponent(feed)}`,
    },
    { name: 'NewsBlur', subscribe: (feed) => `https://www.newsblur.com/?url=${encodeURIComponent(feed)}` },
    {
      name: 'The Old Reader',
      subscribe: (feed) => `https://theoldreader.com/feeds/subscribe?url=${encodeURIComponent(feed)}`,
    },
  ];

export interface FeedPreviewOptions {
  /** For an archive page: its number (1 = oldest). */
  readonly archivePage?: number;
}

function entry(item: FeedItem, locale: Locale): string {
  let out = `<li><article lang=${attr(item.language)}>\n`;
  out += `<h2><a href=${href(item.url)}>${escapeHtml(item.title)}</a></h2>\n`;
  out += `<p class="meta"><time datetime="${toRfc3339(item.published)}">${escapeHtml(locale.day(item.published))}</time>`;
  if (item.author !== undefined && item.author.trim() !== '') out += ` · ${escapeHtml(item.author)}`;
  out += '</p>\n';
  if (item.lead.trim() !== '') out += `<p>${escapeHtml(item.lead)}</p>\n`;
  return `${out}</article></li>\n`;
}

function subscribeSection(links: FeedLinks, locale: Locale): string {
  const { t } = locale;
  let out = `<section>\n<p>${escapeHtml(t.previewHowTo)}</p>\n`;
  out += `<p><code>${escapeHtml(links.rss)}</code></p>\n`;
  out += `<p>${escapeHtml(t.previewFormats)}${t.colon} `;
  out += FEED_TYPES.map(
    (feed) => `<a href=${href(links[feed.key])} type="${feed.type}">${escapeHtml(feed.label)}</a>`,
  ).join(' · ');
  out += '</p>\n';
  out += `<p>${escapeHtml(t.previewReaders)}${t.colon} `;
  out += WEB_READERS.map(
    (reader) => `<a href=${href(reader.subscribe(links.rss))} rel="noopener">${escapeHtml(reader.name)}</a>`,
  ).join(' · ');
  return `${out}</p>\n</section>\n`;
}

/** The preview page of one feed set; same input → same bytes. */
export function renderFeedPreview(
  doc: FeedDocument,
  links: FeedLinks,
  options: FeedPreviewOptions = {},
): string {
  const { site } = doc;
  const locale = localeFor(site.language);
  const { t } = locale;
  const page = options.archivePage;
  const title = page === undefined ? site.title : `${site.title} — ${t.previewArchive(locale.number(page))}`;
  let out = `<!doctype html>\n<html lang=${attr(locale.language)}>\n<head>\n<meta charset="utf-8">\n`;
  out += '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
  out += `<title>${escapeHtml(title)}</title>\n`;
  out += '<meta name="robots" content="noindex">\n';
  for (const feed of FEED_TYPES) {
    out += `<link rel="alternate" type="${feed.type}" hreflang=${attr(site.language)} title=${attr(`${site.title} (${feed.label})`)} href=${href(links[feed.key])}>\n`;
  }
  out += `<style>${PAGE_STYLE}</style>\n</head>\n<body>\n<header>\n`;
  out += `<nav><a href=${href(links.home)}>← ${escapeHtml(t.visitSite)}</a></nav>\n`;
  out += `<p class="meta">${escapeHtml(t.previewBanner)}</p>\n`;
  out += `<h1>${escapeHtml(title)}</h1>\n`;
  if (site.description.trim() !== '') out += `<p>${escapeHtml(site.description)}</p>\n`;
  out += `</header>\n<main>\n${subscribeSection(links, locale)}`;
  out += `<section>\n<h2>${escapeHtml(t.recent)}</h2>\n`;
  if (doc.items.length === 0) out += `<p>${escapeHtml(t.empty)}</p>\n`;
  else out += `<ol class="items">\n${doc.items.map((item) => entry(item, locale)).join('')}</ol>\n`;
  out += '</section>\n</main>\n</body>\n</html>\n';
  return out;
}
