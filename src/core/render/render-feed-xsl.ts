/**
 * The browser view of the XML feeds: SiteInfo → an XSLT 1.0 stylesheet (`/feed.xsl`) that
 * RSS 2.0 and Atom 1.0 documents reference with `<?xml-stylesheet type="text/xsl"?>`. A
 * browser opening a feed then shows a readable page, the feed's URL and how to subscribe,
 * instead of raw XML or a download; feed readers ignore the processing instruction.
 *
 * Must not: emit scripts or `style=` attributes (the same page style as the HTML pages is
 * used, in one `<style>` element), or depend on the feed's content: one stylesheet serves
 * every feed (main, tags, publishers, archives), so it is byte-stable.
 * Tunables: wording in i18n/ (the site's language). Spec: https://www.w3.org/TR/xslt-10/ (browsers implement
 * only XSLT 1.0); RFC 4287 namespace `http://www.w3.org/2005/Atom`.
 */
import type { SiteInfo } from '../model.ts';
import { PAGE_STYLE } from '../page-style.ts';
import { localeFor } from './i18n/translate.ts';
import { escapeXml, escapeXmlAttr } from './xml-text.ts';

/** The stylesheet served at `/feed.xsl`. */
export function renderFeedXsl(site: SiteInfo): string {
  const { t, language } = localeFor(site.language);
  const lang = escapeXmlAttr(language);
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="home" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>${escapeXml(PAGE_STYLE)}</style>
      </head>
      <body>
        <header>
          <p class="meta">${escapeXml(t.previewBanner)}</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <p>${escapeXml(t.previewHowTo)}</p>
          <p><code class="feed-url"><xsl:value-of select="$self"/></code></p>
          <nav><a href="{$home}">${escapeXml(t.visitSite)}</a></nav>
        </header>
        <main>
          <h2>${escapeXml(t.recent)}</h2>
          <ol class="items">
            <xsl:for-each select="rss/channel/item">
              <li>
                <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
                <p class="meta"><xsl:value-of select="pubDate"/></p>
              </li>
            </xsl:for-each>
            <xsl:for-each select="atom:feed/atom:entry">
              <li>
                <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
                <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
}
