/**
 * One kept image, video or audio (MediaBlock) → HTML: `<img>` (alt, title, width, height,
 * srcset), `<picture>` with its `<source>`s, `<figure>` with its `<figcaption>` when there is a
 * caption, `<video>`/`<audio>` with `controls` and `preload="none"` (never autoplay) and a plain
 * link to the file inside, for readers that show no players. Every text and URL is escaped; the
 * result goes through the allow-list sanitiser with the rest of the body.
 *
 * Must not: resolve URLs (the loader made them absolute and http(s)) or add `loading` (article
 * pages do, feeds do not need it). No tunables.
 */
import type { MediaBlock } from '../model.ts';
import { escapeHtmlText as esc } from './escape-html.ts';

function attr(name: string, value: string | number | undefined): string {
  return value === undefined || value === '' ? '' : ` ${name}="${esc(String(value))}"`;
}

function imageHtml(m: MediaBlock): string {
  const img = `<img${attr('src', m.src)}${attr('srcset', m.srcset)}${m.alt !== undefined ? ` alt="${esc(m.alt)}"` : ''}${attr('title', m.title)}${attr('width', m.width)}${attr('height', m.height)}>`;
  if (!m.sources || m.sources.length === 0) return img;
  const sources = m.sources
    .filter((s) => s.srcset)
    .map(
      (s) =>
        `<source${attr('srcset', s.srcset)}${attr('type', s.type)}${attr('media', s.media)}${attr('sizes', s.sizes)}>`,
    )
    .join('');
  return `<picture>${sources}${img}</picture>`;
}

function fileName(url: string): string {
  try {
    const name = new URL(url).pathname.split('/').filter(Boolean).pop();
    return name ? decodeURIComponent(name) : url;
  } catch {
    return url;
  }
}

function playerHtml(m: MediaBlock): string {
  const tag = m.kind === 'video' ? 'video' : 'audio';
  const sources = (m.sources ?? [])
    .filter((s) => s.url)
    .map((s) => `<source${attr('src', s.url)}${attr('type', s.type)}>`)
    .join('');
  const src = sources ? '' : attr('src', m.src);
  const size =
    tag === 'video' ? `${attr('poster', m.poster)}${attr('width', m.width)}${attr('height', m.height)}` : '';
  const link = `<a href="${esc(m.src)}">${esc(m.title ?? fileName(m.src))}</a>`;
  return `<${tag} controls preload="none"${src}${size}${attr('title', m.title)}>${sources}${link}</${tag}>`;
}

export function mediaToHtml(m: MediaBlock): string {
  const body = m.kind === 'image' ? imageHtml(m) : playerHtml(m);
  return m.caption
    ? `<figure>${body}<figcaption>${esc(m.caption)}</figcaption></figure>`
    : `<figure>${body}</figure>`;
}
