/**
 * Allow-list HTML sanitiser for article bodies (via the `xss` package).
 * Input: an HTML fragment. Output: the fragment with only the tags and attributes below;
 * everything else is stripped (script/style with their content), including on* handlers and
 * any URL whose scheme is not http/https (links also allow mailto); a srcset keeps only its
 * http(s) candidates. Players keep `controls`/`preload`, never `autoplay`.
 *
 * Must not: add markup or rewrite text. The allow-list below is the only tunable (one literal
 * table, like miniflux/v2 internal/reader/sanitizer/sanitizer.go).
 */
import { FilterXSS, type IFilterXSSOptions } from 'xss';
import { decodeEntities } from '../text/decode-entities.ts';

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
  img: ['src', 'srcset', 'alt', 'title', 'width', 'height', 'loading'],
  picture: [],
  source: ['src', 'srcset', 'type', 'media', 'sizes'],
  video: ['src', 'poster', 'controls', 'preload', 'width', 'height', 'title'],
  audio: ['src', 'controls', 'preload', 'title'],
  br: [],
};

/** Allowed URL schemes per tag/attribute. */
const SCHEMES: Readonly<Record<string, readonly string[]>> = {
  'a.href': ['http:', 'https:', 'mailto:'],
  'img.src': ['http:', 'https:'],
  'img.srcset': ['http:', 'https:'],
  'source.src': ['http:', 'https:'],
  'source.srcset': ['http:', 'https:'],
  'video.src': ['http:', 'https:'],
  'video.poster': ['http:', 'https:'],
  'audio.src': ['http:', 'https:'],
};

/** Attributes whose value is a fixed keyword or a number: anything else is dropped. */
const KEYWORDS: Readonly<Record<string, RegExp>> = {
  width: /^\d{1,5}$/,
  height: /^\d{1,5}$/,
  loading: /^(?:lazy|eager)$/,
  preload: /^(?:none|metadata)$/,
  controls: /^(?:|controls)$/,
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

/** A srcset with each candidate's URL checked; null when no candidate is left. */
function safeSrcset(value: string, schemes: readonly string[]): string | null {
  const kept: string[] = [];
  for (const part of decodeEntities(value).split(/,\s+/)) {
    const [url, descriptor, ...rest] = part.trim().split(/\s+/);
    if (!url || rest.length > 0 || (descriptor !== undefined && !/^[\d.]+[wx]$/.test(descriptor))) continue;
    const safe = safeUrl(url, schemes);
    if (safe) kept.push(descriptor ? `${safe} ${descriptor}` : safe);
  }
  return kept.length > 0 ? kept.join(', ') : null;
}

const escapeAttr = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const OPTIONS: IFilterXSSOptions = {
  whiteList: ALLOWED,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math'],
  allowCommentTag: false,
  onTagAttr(tag, name, value) {
    const keyword = KEYWORDS[name];
    if (keyword && ALLOWED[tag]?.includes(name)) {
      if (!keyword.test(value.trim())) return '';
      return name === 'controls' ? 'controls' : `${name}="${escapeAttr(value.trim())}"`;
    }
    const schemes = SCHEMES[`${tag}.${name}`];
    if (!schemes) return undefined; // default handling (the white list decides)
    const url = name === 'srcset' ? safeSrcset(value, schemes) : safeUrl(value, schemes);
    return url ? `${name}="${escapeAttr(url)}"` : '';
  },
};

const filter = new FilterXSS(OPTIONS);

export function sanitiseHtml(html: string): string {
  return filter.process(html);
}
