import { describe, expect, it } from 'vitest';
import { sanitiseHtml } from '../../../src/core/clean/sanitise-html.ts';

describe('sanitiseHtml', () => {
  it('keeps allowed tags and attributes', () => {
    const html =
      '<h2>T</h2><p>A <a href="https://e.org/x?a=1&amp;b=2">link</a>, <em>em</em>, <strong>s</strong><br></p><ul><li>i</li></ul><figure><img src="https://e.org/i.png" alt="A"><figcaption>c</figcaption></figure><a href="mailto:a@b.c">m</a>';
    const out = sanitiseHtml(html);
    expect(out).toContain('<h2>T</h2>');
    expect(out).toContain('<a href="https://e.org/x?a=1&amp;b=2">link</a>');
    expect(out).toContain('<img src="https://e.org/i.png" alt="A">');
    expect(out).toContain('<a href="mailto:a@b.c">m</a>');
    expect(out).toContain('<li>i</li>');
  });

  it('strips scripts, handlers, unsafe URLs and unknown tags', () => {
    const out = sanitiseHtml(
      '<div class="x" onclick="evil()"><p onmouseover="x()">Hi</p><script>alert(1)</script><style>p{}</style><a href="javascript:alert(1)">j</a><a href=" java\tscript:alert(1)">k</a><img src="data:image/png;base64,AAAA" onerror="x()"><iframe src="https://e.org"></iframe><h1>big</h1></div>',
    );
    expect(out).not.toMatch(/script|onclick|onmouseover|onerror|javascript|data:|iframe|<div|<h1|<style/i);
    expect(out).toContain('<p>Hi</p>');
    expect(out).toContain('big');
  });

  it('drops relative links (no scheme to check)', () => {
    expect(sanitiseHtml('<a href="/x">x</a>')).toBe('<a>x</a>');
  });
});

describe('sanitiseHtml: images and players', () => {
  it('keeps http(s) srcset candidates only, and width/height/alt', () => {
    const out = sanitiseHtml(
      '<img src="https://a.example/x.jpg" srcset="https://a.example/x-2.jpg 2x, javascript:alert(1) 3x, data:image/png;base64,AA 1x" alt="x" width="640" height="480" onerror="alert(1)">',
    );
    expect(out).toBe(
      '<img src="https://a.example/x.jpg" srcset="https://a.example/x-2.jpg 2x" alt="x" width="640" height="480">',
    );
  });

  it('drops autoplay, script posters and non-numeric sizes from players', () => {
    const out = sanitiseHtml(
      '<video src="https://a.example/v.mp4" poster="javascript:alert(1)" autoplay controls preload="auto" width="100%"><source src="vbscript:x" type="video/mp4"></video>',
    );
    expect(out).toBe('<video src="https://a.example/v.mp4" controls><source type="video/mp4"></video>');
    expect(sanitiseHtml('<audio src="data:audio/mp3;base64,AA" controls></audio>')).toBe(
      '<audio controls></audio>',
    );
  });
});
