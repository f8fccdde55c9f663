/**
 * RSS 2.0 renderer: FeedDocument + FeedLinks → an RSS 2.0 XML string.
 *
 * Must not: read the clock (`lastBuildDate` is `doc.updated`), emit a bare name in
 * `<author>` (RSS wants an e-mail there; names go in `dc:creator`), or let text reach
 * the output unescaped. Spec: https://www.rssboard.org/rss-specification (2.0.11),
 * content:encoded (https://web.resource.org/rss/1.0/modules/content/), Dublin Core,
 * Media RSS for the lead image (https://www.rssboard.org/media-rss; namespace declared only
 * when an item uses it, so feeds without media keep their bytes).
 *
 * Why not the `feed` npm package: it has no `dc:creator` (bare names go into
 * `<author>`), one hub only, no RFC 5005 archive/current links, writes `]]>` inside
 * CDATA unsplit, keeps XML-illegal characters, and stamps `new Date()` when a date is
 * missing. Writing the XML directly also gives per-item fragments (`renderRssItem`)
 * that a later cache can reuse. Tunables: none; URLs come from FeedLinks.
 */
import type { FeedDocument, FeedItem } from '../model.ts';
import { toHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { toRfc822 } from './format-dates.ts';
import { GENERATOR_NAME } from './generator.ts';
import { memoisePerItem } from './item-fragments.ts';
import { enclosuresOf, leadImageOf, MEDIA_RSS_NAMESPACE, usesMediaRss } from './item-media.ts';
import { archiveNamespace, xmlProlog } from './xml-prolog.ts';
import { escapeXml, escapeXmlAttr, wrapCdata } from './xml-text.ts';

const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

const NAMESPACES =
  'xmlns:atom="http://www.w3.org/2005/Atom" ' +
  'xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"';

function atomLink(rel: string, href: string, type?: string): string {
  const typeAttr = type === undefined ? '' : ` type="${escapeXmlAttr(type)}"`;
  return `    <atom:link rel="${rel}" href="${escapeXmlAttr(toHref(href))}"${typeAttr}/>\n`;
}

/**
 * One `<item>` element, indented for the channel, ending in a newline. Depends on the
 * item only, so it can be rendered once and reused while the item is unchanged.
 */
export const renderRssItem: (item: FeedItem) => string = memoisePerItem((item) => {
  let out = '    <item>\n';
  out += `      <title>${escapeXml(item.title)}</title>\n`;
  out += `      <link>${escapeXml(toHref(item.url))}</link>\n`;
  out += `      <guid isPermaLink="false">${escapeXml(item.id)}</guid>\n`;
  out += `      <pubDate>${toRfc822(item.published)}</pubDate>\n`;
  if (item.author !== undefined && item.author.trim() !== '') {
    out += `      <dc:creator>${escapeXml(item.author)}</dc:creator>\n`;
  }
  for (const tag of item.tags) out += `      <category>${escapeXml(tag)}</category>\n`;
  // <description> is HTML by convention: the plain-text lead is HTML-escaped first so
  // that a literal "<" in the lead is shown, not parsed, by readers.
  out += `      <description>${wrapCdata(escapeXml(item.lead))}</description>\n`;
  out += `      <content:encoded>${wrapCdata(item.contentHtml)}</content:encoded>\n`;
  // RSS allows one <enclosure>: the first medium; the others, and the lead image, as Media RSS.
  const [first, ...more] = enclosuresOf(item);
  if (first !== undefined) {
    out += `      <enclosure url="${escapeXmlAttr(first.url)}" length="${first.length ?? 0}" type="${escapeXmlAttr(first.type)}"/>\n`;
  }
  for (const e of more) {
    const size = e.length !== undefined ? ` fileSize="${e.length}"` : '';
    out += `      <media:content url="${escapeXmlAttr(e.url)}" type="${escapeXmlAttr(e.type)}"${size}/>\n`;
  }
  const image = leadImageOf(item);
  if (image !== undefined) {
    const type = image.type !== undefined ? ` type="${escapeXmlAttr(image.type)}"` : '';
    out += `      <media:content url="${escapeXmlAttr(image.url)}" medium="image"${type}/>\n`;
  }
  out += '    </item>\n';
  return out;
});

/** The whole RSS 2.0 document; items in the order given (newest first). */
export function renderRss(doc: FeedDocument, links: FeedLinks): string {
  const { site } = doc;
  let out = xmlProlog(links);
  const fh = archiveNamespace(links);
  const media = usesMediaRss(doc.items) ? ` xmlns:media="${MEDIA_RSS_NAMESPACE}"` : '';
  out += `<rss version="2.0" ${NAMESPACES}${fh}${media}>\n  <channel>\n`;
  out += `    <title>${escapeXml(site.title)}</title>\n`;
  out += `    <link>${escapeXml(toHref(links.home))}</link>\n`;
  out += `    <description>${escapeXml(site.description)}</description>\n`;
  out += `    <language>${escapeXml(site.language)}</language>\n`;
  out += `    <lastBuildDate>${toRfc822(doc.updated)}</lastBuildDate>\n`;
  out += `    <generator>${GENERATOR_NAME}</generator>\n`;
  out += `    <docs>${RSS_DOCS}</docs>\n`;
  out += `    <ttl>${Math.max(0, Math.round(site.ttlMinutes))}</ttl>\n`;
  out += atomLink('self', links.rss, 'application/rss+xml');
  for (const hub of links.hubs ?? []) out += atomLink('hub', hub);
  if (links.current !== undefined) out += atomLink('current', links.current, 'application/rss+xml');
  if (links.prevArchive !== undefined) {
    out += atomLink('prev-archive', links.prevArchive, 'application/rss+xml');
  }
  if (links.nextArchive !== undefined) {
    out += atomLink('next-archive', links.nextArchive, 'application/rss+xml');
  }
  if (links.archive === true) out += '    <fh:archive/>\n';
  for (const item of doc.items) out += renderRssItem(item);
  out += '  </channel>\n</rss>\n';
  return out;
}
