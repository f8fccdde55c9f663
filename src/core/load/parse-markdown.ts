/**
 * Markdown parser: YAML front matter for explicit metadata, then marked's lexer → RawBlocks
 * (heading with level, paragraph, blockquote → quote, list with items/ordered, code → paragraph),
 * inline markup reduced to plain text (links keep their text, images their alt text).
 * Images become media (alt and title kept, URL resolved against the front matter's `url` or the
 * document's base URL): a paragraph made only of images is no text block at all (its alt text
 * used to be published as a sub-heading); images inside a sentence follow their paragraph.
 * Input: RawDocument (format `markdown`). Output: ParsedDocument.
 *
 * Must not: render HTML (the normaliser builds sanitised HTML from blocks). No tunables.
 */
import { lexer, type Token, type Tokens } from 'marked';
import type { ParsedDocument, RawBlock, RawDocument, RawMedia } from '../model.ts';
import { decodeEntities } from '../text/decode-entities.ts';
import { splitFrontMatter } from './front-matter.ts';
import { resolveMediaUrl } from './html-media.ts';
import { mergeMetadata, normaliseMetadata } from './normalise-metadata.ts';

const WHITESPACE_RUN = /\s+/gu;
const TAG = /<[^>]+>/g;

/** Plain text of inline tokens: markup dropped, link text and image alt kept. */
function inlineText(tokens: readonly Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'br':
        out += ' ';
        break;
      case 'image':
        out += (token as Tokens.Image).text;
        break;
      case 'html':
      case 'tag':
        out += (token as Tokens.Tag).raw.replace(TAG, '');
        break;
      case 'codespan':
      case 'escape':
        out += (token as Tokens.Codespan).text;
        break;
      default: {
        const t = token as { tokens?: Token[]; text?: string; raw: string };
        out += t.tokens ? inlineText(t.tokens, t.text ?? '') : (t.text ?? t.raw);
      }
    }
  }
  return out;
}

function tidy(text: string): string {
  return decodeEntities(text).replace(WHITESPACE_RUN, ' ').trim();
}

/** Text of a block-level token list (blockquote / list item bodies): paragraphs joined by spaces. */
function blockText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'list') return (t as Tokens.List).items.map((i) => blockText(i.tokens)).join(' ');
      if (t.type === 'space') return ' ';
      const withTokens = t as { tokens?: Token[]; text?: string; raw: string };
      return inlineText(withTokens.tokens, withTokens.text ?? withTokens.raw);
    })
    .join(' ');
}

/** Image tokens of an inline run (inside links too), each with the link around it. */
function imagesOf(
  tokens: readonly Token[] | undefined,
  link?: string,
): { image: Tokens.Image; link?: string }[] {
  const found: { image: Tokens.Image; link?: string }[] = [];
  for (const token of tokens ?? []) {
    if (token.type === 'image') found.push({ image: token as Tokens.Image, ...(link ? { link } : {}) });
    else if (token.type === 'link')
      found.push(...imagesOf((token as Tokens.Link).tokens, (token as Tokens.Link).href));
    else if ('tokens' in token) found.push(...imagesOf((token as { tokens?: Token[] }).tokens, link));
  }
  return found;
}

/** Where media are collected and what their relative addresses resolve against. */
interface MediaContext {
  readonly base: string | undefined;
  readonly media: RawMedia[];
}

function addImages(tokens: readonly Token[] | undefined, at: number, ctx: MediaContext): number {
  const images = imagesOf(tokens);
  for (const { image, link } of images) {
    const src = resolveMediaUrl(image.href, ctx.base);
    const alt = tidy(image.text ?? '');
    const title = image.title ? tidy(image.title) : '';
    const href = link ? resolveMediaUrl(link, ctx.base) : undefined;
    ctx.media.push({
      kind: 'image',
      rawSrc: image.href,
      ...(src ? { src } : {}),
      alt,
      ...(title ? { title } : {}),
      at,
      span: 0,
      hints: '',
      ...(href ? { link: href } : {}),
    });
  }
  return images.length;
}

/** Whether an inline run is only images (alone or inside links) and white space. */
function onlyImages(tokens: readonly Token[] | undefined): boolean {
  return (tokens ?? []).every(
    (t) =>
      t.type === 'image' ||
      t.type === 'br' ||
      ((t.type === 'text' || t.type === 'space') && !t.raw.trim()) ||
      (t.type === 'link' && onlyImages((t as Tokens.Link).tokens)),
  );
}

function toBlocks(tokens: readonly Token[], out: RawBlock[], ctx?: MediaContext): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const h = token as Tokens.Heading;
        const text = tidy(inlineText(h.tokens, h.text));
        if (text) out.push({ text, hint: 'heading', level: h.depth });
        break;
      }
      case 'paragraph':
      case 'text': {
        const p = token as Tokens.Paragraph;
        if (ctx && p.tokens && imagesOf(p.tokens).length > 0 && onlyImages(p.tokens)) {
          addImages(p.tokens, out.length, ctx);
          break;
        }
        const text = tidy(inlineText(p.tokens, p.text));
        if (text) out.push({ text, hint: 'paragraph' });
        if (ctx) addImages(p.tokens, out.length, ctx);
        break;
      }
      case 'blockquote': {
        const text = tidy(blockText((token as Tokens.Blockquote).tokens));
        if (text) out.push({ text, hint: 'quote' });
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        const items = list.items.map((i) => tidy(blockText(i.tokens))).filter((t) => t.length > 0);
        if (items.length > 0)
          out.push({ text: items.join('\n'), hint: 'list', items, ordered: list.ordered });
        break;
      }
      case 'code': {
        const text = (token as Tokens.Code).text.trim();
        if (text) out.push({ text, hint: 'paragraph' });
        break;
      }
      case 'html': {
        const text = tidy((token as Tokens.HTML).text.replace(TAG, ' '));
        if (text) out.push({ text, hint: 'paragraph' });
        break;
      }
      default:
        // space, hr, def, table: no prose of their own (tables are rare in articles).
        break;
    }
  }
}

export function parseMarkdown(raw: RawDocument): ParsedDocument {
  const { data, body } = splitFrontMatter(raw.body);
  const blocks: RawBlock[] = [];
  const metadata = mergeMetadata(raw.metadata, normaliseMetadata(data));
  const url = metadata.url && /^https?:/i.test(metadata.url) ? metadata.url : undefined;
  const ctx: MediaContext = { base: raw.baseUrl ?? url, media: [] };
  toBlocks(lexer(body), blocks, ctx);
  return { raw, metadata, blocks, ...(ctx.media.length > 0 ? { media: ctx.media } : {}) };
}
