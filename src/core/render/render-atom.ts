/**
 * Atom 1.0 renderer: FeedDocument + FeedLinks → an Atom XML string (RFC 4287).
 *
 * Must not: read the clock (feed `updated` is `doc.updated`), change ids between
 * runs (feed id = `links.home`, i.e. `site.baseUrl + '/'` for the main feeds; entry
 * id = the item's `urn:uuid:`), or let text reach the output unescaped.
 * Spec: https://www.rfc-editor.org/rfc/rfc4287; archives: RFC 5005 §4.
 *
 * Why not the `feed` npm package: see render-rss.ts (same gaps: unsplit `]]>`,
 * illegal characters kept, hidden `new Date()`, one hub, no archive links), plus no
 * `xml:lang` per entry. `renderAtomEntry` renders one reusable entry fragment.
 *
 * RFC 4287 §4.1.1 requires an author on the feed or on every entry; the site title
 * is the feed-level author, which entries with their own author override.
 */
import type { FeedDocument, FeedItem } from '../model.ts';
import { toHref, toHttpHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { laterOf, toRfc3339 } from './format-dates.ts';
import { GENERATOR_NAME } from './generator.ts';
import { memoisePerItem } from './item-fragments.ts';
import { enclosuresOf } from './item-media.ts';
import { archiveNamespace, xmlProlog } from './xml-prolog.ts';
import { escapeXml, escapeXmlAttr, wrapCdata } from './xml-text.ts';

const ATOM_TYPE = 'application/atom+xml';

function link(indent: string, rel: string, href: string, type?: string): string {
  const typeAttr = type === undefined ? '' : ` type="${escapeXmlAttr(type)}"`;
  return `${indent}<link rel="${rel}" href="${escapeXmlAttr(toHref(href))}"${typeAttr}/>\n`;
}

/**
 * One `<entry>` element, indented for the feed, ending in a newline. Depends on the
 * item only, so it can be rendered once and reused while the item is unchanged.
 */
export const renderAtomEntry: (item: FeedItem) => string = memoisePerItem((item) => {
  // RFC 4287 forbids nothing here, but validators reject published > updated; an
  // item's `updated` never precedes its publication, so clamp defensively.
  const updated = laterOf(item.published, item.updated);
  let out = `  <entry xml:lang="${escapeXmlAttr(item.language)}">\n`;
  out += `    <id>${escapeXml(item.id)}</id>\n`;
  out += `    <title type="text">${escapeXml(item.title)}</title>\n`;
  out += link('    ', 'alternate', item.url, 'text/html');
  const external = toHttpHref(item.externalUrl);
  if (external !== undefined && external !== toHref(item.url)) {
    out += link('    ', 'related', external, 'text/html');
  }
  out += `    <published>${toRfc3339(item.published)}</published>\n`;
  out += `    <updated>${toRfc3339(updated)}</updated>\n`;
  if (item.author !== undefined && item.author.trim() !== '') {
    out += `    <author>\n      <name>${escapeXml(item.author)}</name>\n    </author>\n`;
  }
  for (const tag of item.tags) out += `    <category term="${escapeXmlAttr(tag)}"/>\n`;
  out += `    <summary type="text">${escapeXml(item.lead)}</summary>\n`;
  out += `    <content type="html">${wrapCdata(item.contentHtml)}</content>\n`;
  // RFC 4287 §4.2.7.2: an enclosure whose size is known; without a length (validators warn,
  // and a made-up 0 would be false) the file is still linked, as `related`. The lead image has
  // no length either: Atom readers find it first in the content.
  for (const e of enclosuresOf(item)) {
    const rel = e.length !== undefined ? 'enclosure' : 'related';
    const length = e.length !== undefined ? ` length="${e.length}"` : '';
    out += `    <link rel="${rel}" href="${escapeXmlAttr(e.url)}" type="${escapeXmlAttr(e.type)}"${length}/>\n`;
  }
  out += '  </entry>\n';
  return out;
});

/** The whole Atom document; entries in the order given (newest first). */
export function renderAtom(doc: FeedDocument, links: FeedLinks): string {
  const { site } = doc;
  let out = xmlProlog(links);
  const fh = archiveNamespace(links);
  out += `<feed xmlns="http://www.w3.org/2005/Atom"${fh} xml:lang="${escapeXmlAttr(site.language)}">\n`;
  out += `  <id>${escapeXml(toHref(links.home))}</id>\n`;
  out += `  <title type="text">${escapeXml(site.title)}</title>\n`;
  if (site.description.trim() !== '') {
    out += `  <subtitle type="text">${escapeXml(site.description)}</subtitle>\n`;
  }
  out += `  <updated>${toRfc3339(doc.updated)}</updated>\n`;
  out += link('  ', 'self', links.atom, ATOM_TYPE);
  out += link('  ', 'alternate', links.home, 'text/html');
  for (const hub of links.hubs ?? []) out += link('  ', 'hub', hub);
  if (links.current !== undefined) out += link('  ', 'current', links.current, ATOM_TYPE);
  if (links.prevArchive !== undefined) out += link('  ', 'prev-archive', links.prevArchive, ATOM_TYPE);
  if (links.nextArchive !== undefined) out += link('  ', 'next-archive', links.nextArchive, ATOM_TYPE);
  if (links.archive === true) out += '  <fh:archive/>\n';
  out += `  <author>\n    <name>${escapeXml(site.title)}</name>\n    <uri>${escapeXml(toHref(links.home))}</uri>\n  </author>\n`;
  out += `  <generator>${GENERATOR_NAME}</generator>\n`;
  for (const item of doc.items) out += renderAtomEntry(item);
  out += '</feed>\n';
  return out;
}
