import { describe, expect, it } from 'vitest';
import { parseSrcset, resolveMediaUrl, rewriteSrcset } from '../../../src/core/load/html-media.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';

const parse = (body: string, baseUrl?: string) =>
  parseDocument({
    sourceId: 'x.html',
    file: 'x.html',
    source: 'x',
    format: 'html',
    body,
    ...(baseUrl ? { baseUrl } : {}),
  });

const PROSE =
  '<p>Die Stadt hat am Montag den neuen Radweg entlang des Flusses eröffnet, nach fast zwei Jahren Bauzeit und vielen Diskussionen im Stadtrat.</p>';

describe('html media', () => {
  it('resolves against the base, keeps only http(s)', () => {
    expect(resolveMediaUrl('../b.jpg', 'https://a.example/x/y/')).toBe('https://a.example/x/b.jpg');
    expect(resolveMediaUrl('java\tscript:alert(1)', 'https://a.example/')).toBeUndefined();
    expect(resolveMediaUrl('data:image/gif;base64,AA', 'https://a.example/')).toBeUndefined();
    expect(resolveMediaUrl('b.jpg', undefined)).toBeUndefined();
  });

  it('splits srcset as the standard does (commas inside URLs) and rewrites it', () => {
    expect(parseSrcset('https://c.example/w_300,h_200/a.jpg 300w, b.jpg 2x')).toEqual([
      { url: 'https://c.example/w_300,h_200/a.jpg', descriptor: '300w' },
      { url: 'b.jpg', descriptor: '2x' },
    ]);
    expect(rewriteSrcset('a.jpg 1x, javascript:x 2x, b.jpg 640w', 'https://a.example/d/')).toBe(
      'https://a.example/d/a.jpg 1x, https://a.example/d/b.jpg 640w',
    );
  });

  it('reads lazy images (data-src JSON skipped), noscript fallbacks, <base href> and the canonical URL', () => {
    const page = `<html><head><base href="https://radweg.example/news/"></head><body><article>${PROSE}
      <img src="data:image/gif;base64,R0" data-src='{"w":80}' data-original="bilder/a.jpg" alt="A">
      <img src="data:image/gif;base64,R0"><noscript><img src="bilder/b.jpg" alt="B"></noscript>${PROSE}</article></body></html>`;
    expect(parse(page).media?.map((m) => [m.src, m.alt])).toEqual([
      ['https://radweg.example/news/bilder/a.jpg', 'A'],
      ['https://radweg.example/news/bilder/b.jpg', 'B'],
    ]);
    const saved = `<html><head><link rel="canonical" href="https://radweg.example/2026/radweg"></head><body><article>${PROSE}<img src="/bilder/c.jpg">${PROSE}</article></body></html>`;
    expect(parse(saved).media?.[0]?.src).toBe('https://radweg.example/bilder/c.jpg');
    expect(parse(saved).metadata.image).toBe('https://radweg.example/bilder/c.jpg');
  });
});
