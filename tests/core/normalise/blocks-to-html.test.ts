import { describe, expect, it } from 'vitest';
import { blocksToHtml, blocksToText } from '../../../src/core/normalise/blocks-to-html.ts';
import { cleanDocumentFixture } from './fixtures.ts';

describe('blocksToHtml', () => {
  it('renders each block kind and escapes its text', () => {
    const html = blocksToHtml(cleanDocumentFixture().blocks);
    expect(html).toContain('<p>First paragraph &lt;with&gt; markup &amp; ampersand.</p>');
    expect(html).toContain('<h2>A sub-heading</h2>');
    expect(html).toContain('<blockquote><p>« A quote. »</p></blockquote>');
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
  });

  it('never lets markup from text through', () => {
    const html = blocksToHtml([
      { kind: 'paragraph', text: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
    ]);
    expect(html).not.toMatch(/<script|<img/);
  });
});

describe('blocksToText', () => {
  it('joins blocks with blank lines', () => {
    expect(
      blocksToText([
        { kind: 'paragraph', text: 'a' },
        { kind: 'heading', text: 'b' },
      ]),
    ).toBe('a\n\nb');
  });
});
