import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeXml,
  escapeXmlAttr,
  stripInvalidXmlChars,
  wrapCdata,
} from '../../../src/core/render/xml-text.ts';
import { expectLegalXmlChars, expectWellFormedXml, loadXml } from './xml-assert.ts';

describe('stripInvalidXmlChars', () => {
  it('removes C0 controls except tab, LF and CR', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\th\ni\rj')).toBe(
      'abcdefg\th\ni\rj',
    );
  });

  it('removes U+FFFE, U+FFFF and lone surrogates but keeps surrogate pairs', () => {
    expect(stripInvalidXmlChars('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(stripInvalidXmlChars('a\uD800b\uDFFFc')).toBe('abc');
    expect(stripInvalidXmlChars('\uDFFF\uD800')).toBe('');
    expect(stripInvalidXmlChars('emoji 😀 👩‍💻')).toBe('emoji 😀 👩‍💻');
  });

  it('removes discouraged C1 controls (NEL included) and noncharacters, keeps RTL marks', () => {
    expect(stripInvalidXmlChars('a\u007Fb\u0080c\u009Fd\uFDD0e\u0085f')).toBe('abcdef');
    expect(stripInvalidXmlChars('\u200Fمرحبا\u200E')).toBe('\u200Fمرحبا\u200E');
  });
});

describe('escapeXml / escapeHtml / escapeXmlAttr', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(escapeHtml('<script>&')).toBe('&lt;script&gt;&amp;');
  });

  it('does not double-escape nor touch non-ASCII text', () => {
    expect(escapeXml('déjà « vu » &amp;')).toBe('déjà « vu » &amp;amp;');
  });

  it('writes tab, LF and CR in attributes as character references', () => {
    expect(escapeXmlAttr('a\tb\nc\rd"')).toBe('a&#9;b&#10;c&#13;d&quot;');
    expect(loadXml(`<x v="${escapeXmlAttr('1\n2\t3')}"/>`)('x').attr('v')).toBe('1\n2\t3');
  });
});

describe('wrapCdata', () => {
  it('wraps plain text unchanged', () => {
    expect(wrapCdata('<p>a & b</p>')).toBe('<![CDATA[<p>a & b</p>]]>');
  });

  it('splits every ]]> so the section never ends early', () => {
    const wrapped = wrapCdata('a]]>b]]>c]]]]>');
    expect(wrapped).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]]]]]><![CDATA[>]]>');
    const xml = `<x>${wrapped}</x>`;
    expectWellFormedXml(xml);
    expect(loadXml(xml)('x').text()).toBe('a]]>b]]>c]]]]>');
  });

  it('strips illegal characters, which CDATA cannot carry either', () => {
    expect(wrapCdata('a\u0000\uD800b')).toBe('<![CDATA[ab]]>');
  });
});

describe('stripInvalidXmlChars fast path (property)', () => {
  // The definition the fast path must agree with: both Unicode-aware replaces, always run.
  const reference = (text: string): string =>
    text
      .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/[\u007F-\u009F\uFDD0-\uFDEF]/gu, '');

  it('strips exactly what the full replaces strip, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(stripInvalidXmlChars(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns clean text as the same string, and still strips a lone character after clean text', () => {
    const clean = 'Le café — déjà vu 😀 '.repeat(200);
    expect(stripInvalidXmlChars(clean)).toBe(clean);
    for (const bad of ['\u0001', '\u0085', '\uFDD0', '\uFFFE', '\uDC00'])
      expect(stripInvalidXmlChars(`${clean}${bad}`)).toBe(clean);
  });
});

describe('round trip (property)', () => {
  it('any string escaped or wrapped reads back as its stripped self', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('', ']]>', '&', '<'),
        (s, extra) => {
          const text = s + extra + s;
          const expected = stripInvalidXmlChars(text).replace(/\r\n?/g, '\n');
          const xml = `<r><a>${escapeXml(text)}</a><b>${wrapCdata(text)}</b><c v="${escapeXmlAttr(text)}"/></r>`;
          expectLegalXmlChars(xml);
          const $ = loadXml(xml);
          expect($('a').text().replace(/\r\n?/g, '\n')).toBe(expected);
          expect($('b').text().replace(/\r\n?/g, '\n')).toBe(expected);
          expect($('c').attr('v')?.replace(/\r\n?/g, '\n')).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
