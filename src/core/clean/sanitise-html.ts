/**
 * Allow-list HTML sanitiser for article bodies (via the `xss` package).
 * Input: an HTML fragment. Output: the fragment with only the tags and attributes below;
 * everything else is stripped (script/style with their content), including on* handlers and
 * any URL whose scheme is not http/https (links also allow mailto).
 *
 * Must not: add markup or rewrite text. The allow-list below is the only tunable (one literal
 * table, like miniflux/v2 internal/reader/sanitizer/sanitizer.go).
 */
import { FilterXSS, type IFilterXSSOptions } from 'xss';
import { decodeEntities } from '../load/decode-entities.ts';

/** Tag → allowed attributes. */
const ALLOWED: Readonly<Record<string, string[]>> = {
  p: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  blockquote: [],
  ul: [],
  ol: [],
  li: [],
  a: ['href'],
  em: [],
  strong: [],
  b: [],
  i: [],
  code: [],
  pre: [],
  figure: [],
  figcaption: [],
  img: ['src', 'alt'],
  br: [],
};

/** Allowed URL schemes per tag/attribute. */
const SCHEMES: Readonly<Record<string, readonly string[]>> = {
  'a.href': ['http:', 'https:', 'mailto:'],
  'img.src': ['http:', 'https:'],
};

function safeUrl(value: string, schemes: readonly string[]): string | null {
  // Browsers ignore control characters and white space inside a scheme ("java\tscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const compact = decodeEntities(value).replace(/[\u0000-\u0020\u007F]+/g, '');
  try {
    const url = new URL(compact);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const escapeAttr = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const OPTIONS: IFilterXSSOptions = {
  whiteList: ALLOWED,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math'],
  allowCommentTag: false,
  onTagAttr(tag, name, value) {
    const schemes = SCHEMES[`${tag}.${name}`];
    if (!schemes) return undefined; // default handling (the white list decides)
    const url = safeUrl(value, schemes);
    return url ? `${name}="${escapeAttr(url)}"` : '';
  },
};

const filter = new FilterXSS(OPTIONS);

export function sanitiseHtml(html: string): string {
  return filter.process(html);
}
