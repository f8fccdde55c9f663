/**
 * OPML 2.0 subscription list: the site + every published feed set → `/opml.xml`, so a
 * reader can import all of kiosque's feeds (main, per tag, per publisher) in one step.
 * Each set is listed once per format as `type="rss"` outlines (OPML's type for any feed).
 *
 * Must not: read the clock (`dateModified` is the feed document's `updated`), or list
 * archive pages and `?limit` variants (they are views of a feed, not subscriptions).
 * Spec: http://opml.org/spec2.opml
 */
import type { SiteInfo } from '../model.ts';
import { toHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { toRfc822 } from './format-dates.ts';
import { escapeXml, escapeXmlAttr } from './xml-text.ts';

export interface OpmlGroup {
  readonly title: string;
  readonly feeds: readonly { readonly title: string; readonly links: FeedLinks }[];
}

const FORMATS = [
  ['rss', 'RSS'],
  ['atom', 'Atom'],
  ['json', 'JSON Feed'],
] as const;

function outlines(indent: string, title: string, links: FeedLinks): string {
  let out = '';
  for (const [key, label] of FORMATS) {
    const text = escapeXmlAttr(`${title} (${label})`);
    out += `${indent}<outline type="rss" text="${text}" title="${text}" xmlUrl="${escapeXmlAttr(toHref(links[key]))}" htmlUrl="${escapeXmlAttr(toHref(links.home))}"/>\n`;
  }
  return out;
}

/** The OPML document: the main feeds first, then one folder per non-empty group. */
export function renderOpml(
  site: SiteInfo,
  main: FeedLinks,
  groups: readonly OpmlGroup[],
  updated: string,
): string {
  let out = '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n';
  out += `    <title>${escapeXml(site.title)}</title>\n`;
  out += `    <dateModified>${toRfc822(updated)}</dateModified>\n`;
  out += `    <ownerId>${escapeXml(toHref(main.home))}</ownerId>\n`;
  out += '  </head>\n  <body>\n';
  out += outlines('    ', site.title, main);
  for (const group of groups) {
    if (group.feeds.length === 0) continue;
    out += `    <outline text="${escapeXmlAttr(group.title)}">\n`;
    for (const feed of group.feeds) out += outlines('      ', feed.title, feed.links);
    out += '    </outline>\n';
  }
  out += '  </body>\n</opml>\n';
  return out;
}
