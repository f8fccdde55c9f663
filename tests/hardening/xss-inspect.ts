/**
 * Inspects HTML output the way a browser would parse it (cheerio / parse5) and lists everything
 * executable or navigational that survived: forbidden elements, event-handler attributes, URLs
 * with script or data schemes, style attributes. Used by tests/hardening/xss.test.ts.
 */
import * as cheerio from 'cheerio';

/** Elements the article sanitiser may emit (src/core/clean/sanitise-html.ts ALLOWED). */
export const CONTENT_TAGS: ReadonlySet<string> = new Set([
  'p',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'em',
  'strong',
  'b',
  'i',
  'code',
  'pre',
  'figure',
  'figcaption',
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'br',
]);

/** Media attributes that must hold only http(s) URLs (each srcset candidate checked). */
const MEDIA_URL_ATTRIBUTES: ReadonlySet<string> = new Set(['srcset', 'poster']);
const HTTP_URL = /^https?:\/\/[^\s]+$/i;

function httpOnly(attribute: string, value: string): boolean {
  const urls =
    attribute === 'srcset'
      ? value.split(/,\s+/).map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
      : [value.trim()];
  return urls.length > 0 && urls.every((url) => HTTP_URL.test(url));
}

/** Elements of the page template around the content (render-html-pages.ts). */
const PAGE_TAGS: ReadonlySet<string> = new Set([
  ...CONTENT_TAGS,
  'html',
  'head',
  'body',
  'meta',
  'title',
  'link',
  'style',
  'header',
  'nav',
  'main',
  'article',
  'h1',
  'time',
  'div',
  'footer',
  'span',
  'section',
  'small',
  'ul',
  'li',
  'abbr',
]);

const BAD_SCHEME = /^(?:javascript|vbscript|data|livescript|mocha|jar):/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a scheme.
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007F]+/g;

export interface Finding {
  readonly where: string;
  readonly what: string;
}

function inspect($: cheerio.CheerioAPI, allowed: ReadonlySet<string>, where: string): Finding[] {
  const findings: Finding[] = [];
  $('*').each((_, element) => {
    if (element.type !== 'tag' && element.type !== 'script' && element.type !== 'style') return;
    const tag = element.tagName.toLowerCase();
    if (!allowed.has(tag)) findings.push({ where, what: `element <${tag}>` });
    for (const [name, value] of Object.entries(element.attribs)) {
      const attribute = name.toLowerCase();
      if (attribute.startsWith('on')) findings.push({ where, what: `<${tag} ${attribute}=…>` });
      if (attribute === 'style') findings.push({ where, what: `<${tag} style=…>` });
      if (BAD_SCHEME.test(value.replace(IGNORED_IN_SCHEME, ''))) {
        findings.push({ where, what: `<${tag} ${attribute}="${value.slice(0, 40)}">` });
      }
      if (['action', 'formaction', 'srcdoc', 'xlink:href', 'ping', 'background'].includes(attribute)) {
        findings.push({ where, what: `<${tag} ${attribute}=…>` });
      }
      // Images and players may carry srcset and poster, but only with http(s) URLs.
      if (MEDIA_URL_ATTRIBUTES.has(attribute) && !httpOnly(attribute, value)) {
        findings.push({ where, what: `<${tag} ${attribute}="${value.slice(0, 40)}">` });
      }
      if (attribute === 'autoplay') findings.push({ where, what: `<${tag} autoplay>` });
    }
  });
  return findings;
}

/** An HTML fragment (sanitised content, content_html): only the sanitiser's elements may appear. */
export function inspectFragment(html: string, where: string): Finding[] {
  const findings = inspect(cheerio.load(html, null, false), CONTENT_TAGS, where);
  if (/<\s*script/i.test(html)) findings.push({ where, what: 'raw "<script"' });
  return findings;
}

/**
 * A whole page: template elements plus the sanitiser's; the template's one <style> in <head>,
 * <meta> only with charset/name, <link> only canonical/alternate over http(s).
 */
export function inspectPage(html: string, where: string): Finding[] {
  const $ = cheerio.load(html);
  const findings = inspect($, PAGE_TAGS, where);
  if (/<\s*script/i.test(html)) findings.push({ where, what: 'raw "<script"' });
  const styles = $('style');
  if (
    styles.length > 1 ||
    (styles.length === 1 && styles.parent().prop('tagName')?.toLowerCase() !== 'head')
  ) {
    findings.push({ where, what: `${styles.length} <style> elements` });
  }
  $('meta').each((_, meta) => {
    if (meta.attribs['http-equiv'] !== undefined) findings.push({ where, what: '<meta http-equiv>' });
  });
  $('link').each((_, link) => {
    if (!/^https?:/i.test(link.attribs.href ?? ''))
      findings.push({ where, what: `<link href="${link.attribs.href}">` });
  });
  for (const fragment of $('.content').toArray()) {
    findings.push(...inspectFragment($(fragment).html() ?? '', `${where} .content`));
  }
  return findings;
}
