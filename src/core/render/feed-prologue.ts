/**
 * What RSS and Atom documents open with alike: the XML declaration, the `<?xml-stylesheet?>`
 * processing instruction when the feed links an XSL view, and the RFC 5005 feed-history namespace
 * declaration on the root element of an archive document.
 *
 * Must not: render anything of the feed itself (render-rss.ts, render-atom.ts do).
 * Spec: RFC 5005 §4 (https://www.rfc-editor.org/rfc/rfc5005#section-4).
 */
import { toHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { escapeXmlAttr } from './xml-text.ts';

/** RFC 5005 §4: archive documents carry `<fh:archive/>` so clients know they will not change. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** The XML declaration, then the stylesheet instruction when `links.stylesheet` is set. */
export function xmlPrologue(links: FeedLinks): string {
  let out = '<?xml version="1.0" encoding="utf-8"?>\n';
  if (links.stylesheet !== undefined) {
    out += `<?xml-stylesheet type="text/xsl" href="${escapeXmlAttr(toHref(links.stylesheet))}"?>\n`;
  }
  return out;
}

/** ` xmlns:fh="…"` for an archive document's root element, else ''. */
export function historyNamespace(links: FeedLinks): string {
  return links.archive === true ? ` xmlns:fh="${FH_NAMESPACE}"` : '';
}
