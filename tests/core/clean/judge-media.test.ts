/**
 * Media never change which text blocks are kept: every fixture case (and the media cases in
 * French, English and German) cleans to the same text with its media elements stripped out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import { judgeMedia } from '../../../src/core/clean/judge-media.ts';
import { detectFormat } from '../../../src/core/load/detect-format.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';
import type { RawMedia } from '../../../src/core/model.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/clean/', import.meta.url));
const MEDIA_ELEMENTS =
  /<(figure|picture|video|audio|noscript)\b[\s\S]*?<\/\1>|<img\b[^>]*>|!\[[^\]]*\]\([^)]*\)/gi;

function cleanText(file: string, body: string): string[] {
  const format = detectFormat(file);
  if (!format) throw new Error(file);
  const doc = cleanDocument(parseDocument({ sourceId: file, file, source: 'x', format, body }), {
    defaultLanguage: 'en',
  });
  return doc.blocks.map((b) => b.text);
}

describe('judgeMedia', () => {
  const cases = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const c of cases) {
    const input = readdirSync(`${ROOT}${c.name}`).find((f) => f.startsWith('input.'));
    if (!input || input.endsWith('.txt')) continue;
    it(`${c.name}: the kept text is the same with the media stripped out`, () => {
      const body = readFileSync(`${ROOT}${c.name}/${input}`, 'utf8');
      const stripped = body.replace(MEDIA_ELEMENTS, (m) => (m.startsWith('!') ? '' : ' '));
      expect(cleanText(input, body)).toEqual(cleanText(input, stripped));
    });
  }

  const medium = (over: Partial<RawMedia>): RawMedia => ({
    kind: 'image',
    src: 'https://a.example/photo.jpg',
    rawSrc: 'photo.jpg',
    at: 1,
    span: 0,
    hints: '',
    ...over,
  });

  it('keeps a medium next to kept prose or the title, behind bylines; not one between removed blocks', () => {
    const states = [
      'title',
      'furniture',
      'kept',
      'removed',
      'removed',
      'kept',
      'removed',
      'removed',
    ] as const;
    const { media, decisions } = judgeMedia(
      [
        medium({ src: 'https://a.example/lead.jpg', at: 2 }),
        medium({ src: 'https://a.example/mid.jpg', at: 4 }),
        medium({ src: 'https://a.example/end.jpg', at: 6 }),
        medium({ src: 'https://a.example/far.jpg', at: 7 }),
      ],
      states,
    );
    expect(media.map((m) => [m.src, m.before])).toEqual([
      ['https://a.example/lead.jpg', 0],
      ['https://a.example/end.jpg', 2],
    ]);
    expect(decisions.filter((d) => d.decision === 'removed').map((d) => d.rule)).toEqual([
      'media-outside-content',
      'media-outside-content',
    ]);
  });

  it('names the rule of each chrome image: pixel, beacon, icon, chrome class, teaser link, duplicate', () => {
    const states = ['kept', 'kept'] as const;
    const { decisions } = judgeMedia(
      [
        medium({ src: 'https://a.example/p.gif', width: 1, height: 1 }),
        medium({ src: 'https://www.google-analytics.com/collect?v=1' }),
        medium({ src: 'https://a.example/i.png', width: 32, height: 32 }),
        medium({ src: 'https://a.example/x.jpg', hints: 'post-author-avatar' }),
        medium({ src: 'https://a.example/y.jpg', at: 2, link: 'https://a.example/other-story' }),
        medium({ src: 'https://a.example/photo.jpg' }),
        medium({ src: 'https://a.example/photo.jpg' }),
      ],
      states,
    );
    expect(decisions.map((d) => d.rule)).toEqual([
      'media-tracking-pixel',
      'media-tracking-pixel',
      'media-icon',
      'media-chrome',
      'media-linked-teaser',
      'media',
      'media-duplicate',
    ]);
  });

  it('reads no chrome word inside a UUID or hex digest of the address, nor in a descriptive alt text', () => {
    const states = ['kept', 'kept'] as const;
    const { decisions } = judgeMedia(
      [
        medium({ src: 'https://cdn.a.example/i/74b37f2f-a78f-4ce3-ad41-477c063c96c4/phone.jpg' }),
        medium({ src: 'https://cdn.a.example/i/ad1f9b1bee05faa68049e19721c68d95/phone.jpg' }),
        medium({ src: 'https://a.example/ad1/banner.jpg' }),
        medium({
          src: 'https://a.example/w.jpg',
          alt: 'FILE PHOTO: The WeWork logo is displayed outside an office',
        }),
        medium({ src: 'https://a.example/l.jpg', alt: 'Harbour Gazette logo' }),
      ],
      states,
    );
    expect(decisions.map((d) => d.rule)).toEqual(['media', 'media', 'media-chrome', 'media', 'media-chrome']);
  });
});
