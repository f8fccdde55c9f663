/**
 * The opening both XML feed formats share: the XML declaration, the browser stylesheet
 * processing instruction when the links name one, and the RFC 5005 namespace declaration for
 * archive documents.
 *
 * Must not: write a format's own root element (render-rss.ts, render-atom.ts do).
 */
import { toHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { escapeXmlAttr } from './xml-text.ts';

/** RFC 5005 §4: archive documents carry `<fh:archive/>` so clients know they will not change. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** The XML declaration and, when `links.stylesheet` is set, its `<?xml-stylesheet?>`. */
export function xmlProlog(links: FeedLinks): string {
  let out = '<?xml version="1.0" encoding="utf-8"?>\n';
  if (links.stylesheet !== undefined) {
    out += `<?xml-stylesheet type="text/xsl" href="${escapeXmlAttr(toHref(links.stylesheet))}"?>\n`;
  }
  return out;
}

/** ` xmlns:fh="…"` for an archive document, else ``: an attribute of the root element. */
export function archiveNamespace(links: FeedLinks): string {
  return links.archive === true ? ` xmlns:fh="${FH_NAMESPACE}"` : '';
}
