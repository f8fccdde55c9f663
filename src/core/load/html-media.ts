/**
 * Reads the images, videos and audio of an HTML page's content: one element (`<img>`, `<picture>`,
 * `<figure>`, `<video>`, `<audio>`) → RawMedia with absolute, safe URLs, its caption, size, the
 * class/id hints around it and the link it sits in. Also restores `<noscript>` image fallbacks of
 * lazy-loaded images before pruning drops every `<noscript>`.
 * Input: domhandler elements + the page's base URL. Output: RawMedia facts (its place among the
 * blocks is set by html-blocks.ts).
 *
 * Lazy loading: the real address is read from data-src / data-lazy-src / data-original / data-url
 * / data-srcset before src, and a `data:` src is a placeholder, never an address. Every URL is
 * resolved against the base and kept only when it is http(s): `javascript:`, `data:`, `blob:`
 * and the rest are dropped here (the sanitiser checks again). srcset is rewritten candidate by
 * candidate (https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute).
 *
 * Must not: judge whether a medium belongs to the article (clean/judge-media.ts does) or fetch
 * anything. Tunables: none (the judge's are in rules.ts).
 */
import type { AnyNode, Element } from 'domhandler';
import { HTML_CAPTION_HINT, WINNER_GROWTH } from '../clean/rules.ts';
import type { MediaKind, MediaSource, RawMedia } from '../model.ts';
import { resolveHttpUrl } from '../text/http-url.ts';
import { classAndId, isElement, rawText, tidy } from './html-dom.ts';

/**
 * Tag of the empty, text-less stand-in a figure, picture, video or audio element becomes while
 * the page is pruned and scored (see stashMedia).
 */
export const MEDIA_PLACEHOLDER = 'kiosque-media';

/** Elements that are one medium each (a figure is its image, video or audio plus its caption). */
export const MEDIA_TAGS: ReadonlySet<string> = new Set([
  'img',
  'picture',
  'figure',
  'video',
  'audio',
  MEDIA_PLACEHOLDER,
]);

/** Elements the text pipeline drops by tag (rules.ts HTML_DROP_TAGS) that hold a medium. */
const STASHED_TAGS: ReadonlySet<string> = new Set(['figure', 'picture', 'video', 'audio']);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/** Tags that may wrap one image and its caption like a figure (WordPress `wp-caption`…). */
const CAPTION_WRAPPER_TAGS: ReadonlySet<string> = new Set(['div', 'span', 'section']);
const IMAGE_TAGS: ReadonlySet<string> = new Set(['img', 'picture']);

/** The image element `el` is, or holds alone one link level down (`<a><img></a>`). */
function imageChild(el: Element): boolean {
  if (IMAGE_TAGS.has(el.name)) return true;
  const kids = el.children.filter(isElement);
  return el.name === 'a' && kids.length === 1 && kids[0] !== undefined && IMAGE_TAGS.has(kids[0].name);
}

/**
 * The caption of a captioned-image wrapper: its caption-hinted child, or the wrapper itself when
 * only it is hinted. Null when `el` is no such wrapper: a <div>/<span>/<section> whose children
 * are one image (or linked image) and caption text, no longer than a caption
 * (WINNER_GROWTH.figureMaxCaptionChars). Cheap: looks at `el` and its children only.
 */
export function captionedImageCaption(el: Element): Element | null {
  if (!CAPTION_WRAPPER_TAGS.has(el.name)) return null;
  const kids = el.children.filter(isElement);
  if (kids.filter(imageChild).length !== 1) return null;
  const hinted = kids.find((k) => !imageChild(k) && HTML_CAPTION_HINT.test(classAndId(k)));
  const caption = hinted ?? (HTML_CAPTION_HINT.test(classAndId(el)) ? el : null);
  if (!caption) return null;
  const text = tidy(rawText(el)).length;
  return text > 0 && text <= WINNER_GROWTH.figureMaxCaptionChars ? caption : null;
}

/** What a stand-in replaced: restored before the medium is read. */
export type MediaStash = Map<Element, { name: string; attribs: Record<string, string>; children: AnyNode[] }>;

/**
 * Figures, pictures, video and audio are dropped by tag before scoring, with their captions, so
 * that caption text never counts as article text. To keep that text behaviour exactly while
 * knowing where each medium sat, each one (unless hidden) becomes a text-less, class-less
 * stand-in (MEDIA_PLACEHOLDER) that pruning, scoring and block emission all ignore; its name,
 * attributes and children are stashed and put back when the medium is read. Mutates the private
 * DOM of one parse.
 */
export function stashMedia(node: AnyNode, stash: MediaStash = new Map()): MediaStash {
  if (!('children' in node)) return stash;
  for (const child of (node as unknown as Element).children) {
    if (!isElement(child)) continue;
    const a = child.attribs;
    const hidden =
      a.hidden !== undefined ||
      a['aria-hidden'] === 'true' ||
      (a.style !== undefined && HIDDEN_STYLE.test(a.style));
    // A wrapper holding one image and its caption (wp-caption…) is a figure: stashed like one.
    if ((STASHED_TAGS.has(child.name) || captionedImageCaption(child) !== null) && !hidden) {
      stash.set(child, { name: child.name, attribs: a, children: child.children });
      child.name = MEDIA_PLACEHOLDER;
      child.attribs = {};
      child.children = [];
    } else stashMedia(child, stash);
  }
  return stash;
}

/** Puts a stand-in's own name, attributes and children back. */
export function unstashMedia(el: Element, stash: MediaStash): void {
  const saved = stash.get(el);
  if (!saved) return;
  el.name = saved.name;
  el.attribs = saved.attribs;
  el.children = saved.children as Element['children'];
  stash.delete(el);
}

/** Attributes that hold an image's real address, lazy-loading ones first. */
const IMAGE_SRC_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-url', 'src'];
const IMAGE_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset', 'srcset'];

/** The absolute http(s) form of `value` against `base`, or undefined (unsafe scheme, no base). */
export function resolveMediaUrl(value: string | undefined, base: string | undefined): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a URL.
  const v = value?.replace(/[\u0000-\u001F\u007F]+/g, '').trim();
  return v ? resolveHttpUrl(v, base) : undefined;
}

interface SrcsetCandidate {
  readonly url: string;
  readonly descriptor: string;
}

/** srcset candidates, split as the HTML standard does (URLs may hold commas). */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (/\s/.test(value[i] ?? '') || value[i] === ',')) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !/\s/.test(value[i] ?? '')) i++;
    let url = value.slice(start, i);
    let descriptor = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      const d = i;
      while (i < n && value[i] !== ',') i++;
      descriptor = value.slice(d, i).trim();
    }
    if (url) out.push({ url, descriptor });
  }
  return out;
}

/** srcset with every candidate made absolute; unsafe candidates dropped; undefined when none is left. */
export function rewriteSrcset(value: string | undefined, base: string | undefined): string | undefined {
  if (!value) return undefined;
  const kept: string[] = [];
  for (const c of parseSrcset(value)) {
    const url = resolveMediaUrl(c.url, base);
    if (!url || !/^[\d.]+[wx]$|^$/.test(c.descriptor)) continue;
    kept.push(c.descriptor ? `${url} ${c.descriptor}` : url);
  }
  return kept.length > 0 ? kept.join(', ') : undefined;
}

const isPlaceholder = (v: string): boolean => /^\s*data:/i.test(v);
/** Lazy-loading scripts sometimes keep JSON or a template in data-src: no address at all. */
const NOT_AN_ADDRESS = /^[{[<]|\{\{|\$\{/;

function firstAttribute(el: Element, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = el.attribs[name]?.trim();
    if (v && !isPlaceholder(v) && !NOT_AN_ADDRESS.test(v)) return v;
  }
  return undefined;
}

function dimension(value: string | undefined): number | undefined {
  const n = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The first descendant element named in `names` (depth first), or undefined. */
function find(el: Element, names: ReadonlySet<string>): Element | undefined {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (names.has(child.name)) return child;
    const deep = find(child, names);
    if (deep) return deep;
  }
  return undefined;
}

function childrenNamed(el: Element, name: string): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && c.name === name);
}

/** Where a medium's hints and link are read: up to the content roots, past the article's wrappers. */
export interface MediaScope {
  readonly roots: ReadonlySet<Element>;
  /**
   * Whether an ancestor holds the article's main prose (main-prose-guard.ts): its class names a
   * region of the page ("elementor-widget-container", Blogger's "widget Blog"), not the image.
   */
  readonly holdsMainProse: (el: Element) => boolean;
}

/**
 * class, id and role of the element and its ancestors up to (not including) a content root,
 * skipping the ancestors that hold the article's main prose.
 */
function hintsOf(el: Element, scope: MediaScope): string {
  const parts: string[] = [];
  for (let n: Element | null = el; n && !scope.roots.has(n); n = n.parent as Element | null) {
    if (!isElement(n)) break;
    if (n !== el && scope.holdsMainProse(n)) continue;
    const a = n.attribs;
    for (const v of [a.class, a.id, a.role]) if (v) parts.push(v);
  }
  return parts.join(' ').toLowerCase();
}

/** href of the nearest enclosing link inside the content. */
function linkOf(el: Element, roots: ReadonlySet<Element>, base: string | undefined): string | undefined {
  for (let n = el.parent as Element | null; n && isElement(n); n = n.parent as Element | null) {
    if (n.name === 'a' && n.attribs.href) return resolveMediaUrl(n.attribs.href, base) ?? n.attribs.href;
    if (roots.has(n)) break;
  }
  return undefined;
}

type MediaFacts = Omit<RawMedia, 'at' | 'span' | 'hints' | 'link' | 'caption' | 'kind'>;

/** Lazy-loading attributes: when one is present but unreadable, `src` is only its placeholder. */
const LAZY_ATTRIBUTES = IMAGE_SRC_ATTRIBUTES.filter((name) => name !== 'src');

function imageFacts(img: Element, base: string | undefined): MediaFacts {
  // A script-only address (JSON, a template) in a lazy attribute: the src is its placeholder.
  const lazy = LAZY_ATTRIBUTES.map((name) => img.attribs[name]?.trim()).find(
    (v) => v && NOT_AN_ADDRESS.test(v),
  );
  const readable = firstAttribute(img, IMAGE_SRC_ATTRIBUTES);
  const placeholderOnly =
    lazy !== undefined &&
    firstAttribute(img, LAZY_ATTRIBUTES) === undefined &&
    !firstAttribute(img, IMAGE_SRCSET_ATTRIBUTES);
  const rawSrc = placeholderOnly ? lazy : (readable ?? img.attribs.src ?? '');
  const srcset = rewriteSrcset(firstAttribute(img, IMAGE_SRCSET_ATTRIBUTES), base);
  // An image known only by its srcset: its first candidate is the address.
  const src = placeholderOnly
    ? undefined
    : (resolveMediaUrl(isPlaceholder(rawSrc) ? undefined : rawSrc, base) ?? srcset?.split(/\s/)[0]?.trim());
  const a = img.attribs;
  const width = dimension(a.width ?? a['data-width']);
  const height = dimension(a.height ?? a['data-height']);
  const alt = a.alt === undefined ? undefined : tidy(a.alt);
  const title = a.title ? tidy(a.title) : undefined;
  return {
    rawSrc,
    ...(src ? { src } : {}),
    ...(srcset ? { srcset } : {}),
    ...(alt !== undefined ? { alt } : {}),
    ...(title ? { title } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
  };
}

function pictureFacts(picture: Element, base: string | undefined): MediaFacts {
  const img = find(picture, new Set(['img']));
  const sources: MediaSource[] = [];
  for (const s of childrenNamed(picture, 'source')) {
    const srcset = rewriteSrcset(firstAttribute(s, IMAGE_SRCSET_ATTRIBUTES), base);
    if (!srcset) continue;
    const { type, media, sizes } = s.attribs;
    sources.push({
      srcset,
      ...(type ? { type } : {}),
      ...(media ? { media } : {}),
      ...(sizes ? { sizes } : {}),
    });
  }
  const facts: MediaFacts = img ? imageFacts(img, base) : { rawSrc: '' };
  // No usable <img> fallback: the first source's first candidate stands in for it.
  const fallback = facts.src ?? sources[0]?.srcset?.split(/\s/)[0];
  return {
    ...facts,
    ...(fallback ? { src: fallback } : {}),
    ...(sources.length > 0 ? { sources } : {}),
  };
}

function playerFacts(el: Element, base: string | undefined): MediaFacts {
  const a = el.attribs;
  const sources: MediaSource[] = [];
  for (const s of childrenNamed(el, 'source')) {
    const url = resolveMediaUrl(s.attribs.src ?? s.attribs['data-src'], base);
    if (url) sources.push({ url, ...(s.attribs.type ? { type: s.attribs.type } : {}) });
  }
  const rawSrc = a.src ?? a['data-src'] ?? childrenNamed(el, 'source')[0]?.attribs.src ?? '';
  const src = resolveMediaUrl(a.src ?? a['data-src'], base) ?? sources[0]?.url;
  const poster = resolveMediaUrl(a.poster, base);
  const width = dimension(a.width);
  const height = dimension(a.height);
  const title = a.title ? tidy(a.title) : a['aria-label'] ? tidy(a['aria-label']) : undefined;
  return {
    rawSrc,
    ...(src ? { src } : {}),
    ...(sources.length > 0 ? { sources } : {}),
    ...(poster ? { poster } : {}),
    ...(title ? { title } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
  };
}

const PLAYERS = new Set(['video', 'audio']);
const FIGURE_MEDIA = new Set(['picture', 'video', 'audio', 'img']);

/**
 * The medium an element shows, or null (a figure holding a quote or a table is no medium).
 * `at` and `span` are filled in by the caller, which knows the element's place among the blocks.
 */
export function readMedia(
  el: Element,
  base: string | undefined,
  scope: MediaScope,
): Omit<RawMedia, 'at' | 'span'> | null {
  let target: Element | undefined = el;
  let caption: string | undefined;
  const wrapperCaption = el.name === 'figure' ? null : captionedImageCaption(el);
  if (el.name === 'figure' || wrapperCaption) {
    target = find(el, FIGURE_MEDIA);
    // A <picture> is one medium: its inner <img> is its fallback, not a second image.
    if (target?.name === 'img' && target.parent && isElement(target.parent as AnyNode)) {
      const parent = target.parent as Element;
      if (parent.name === 'picture') target = parent;
    }
    const figcaption = wrapperCaption ?? find(el, new Set(['figcaption']));
    const text = figcaption ? tidy(rawText(figcaption)) : '';
    if (text) caption = text;
  }
  if (!target) return null;
  const kind: MediaKind = PLAYERS.has(target.name) ? (target.name as MediaKind) : 'image';
  const facts =
    target.name === 'picture'
      ? pictureFacts(target, base)
      : kind === 'image'
        ? imageFacts(target, base)
        : playerFacts(target, base);
  const link = linkOf(target, scope.roots, base);
  return {
    kind,
    ...facts,
    ...(caption ? { caption } : {}),
    hints: hintsOf(target, scope),
    ...(link ? { link } : {}),
  };
}

/**
 * Lazy-loading pages often put the real `<img>` in a `<noscript>` next to a placeholder. Pruning
 * drops every `<noscript>`, so first: a placeholder `<img>` (no real address) right before a
 * `<noscript>` takes the fallback's attributes; a `<noscript>` with no image before it is
 * replaced by its images. Mutates the private DOM of one parse.
 */
export function restoreNoscriptImages(node: AnyNode): void {
  if (!isElement(node)) {
    if ('children' in node) for (const c of (node as unknown as Element).children) restoreNoscriptImages(c);
    return;
  }
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!child || !isElement(child)) continue;
    if (child.name !== 'noscript') {
      restoreNoscriptImages(child);
      continue;
    }
    const fallback = find(child, new Set(['img']));
    if (!fallback || !firstAttribute(fallback, IMAGE_SRC_ATTRIBUTES)) continue;
    let j = i - 1;
    while (j >= 0 && children[j]?.type === 'text' && !tidy((children[j] as unknown as { data: string }).data))
      j--;
    const before = children[j];
    if (before && isElement(before) && (before.name === 'img' || before.name === 'picture')) {
      const img = before.name === 'img' ? before : find(before, new Set(['img']));
      if (
        img &&
        !firstAttribute(img, IMAGE_SRC_ATTRIBUTES) &&
        !firstAttribute(img, IMAGE_SRCSET_ATTRIBUTES)
      ) {
        img.attribs = { ...img.attribs, ...fallback.attribs };
      }
      // The fallback is a copy of the image before it: gone, so it is not read twice.
      children.splice(i, 1);
      i--;
    } else {
      fallback.parent = node;
      children[i] = fallback;
    }
  }
}
