/**
 * Decodes the HTML character references that survive in Markdown and plain text
 * (`&amp;`, `&nbsp;`, `&#8217;`, `&#x2019;`…).
 * Input: text. Output: text with those references replaced; unknown named references are kept.
 *
 * Shared by load (Markdown), clean (sanitising) and normalise (plain text), so it lives in no stage
 * folder.
 *
 * Must not: parse markup. No tunables.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  laquo: '«',
  raquo: '»',
  rsquo: '\u2019',
  lsquo: '\u2018',
  rdquo: '\u201D',
  ldquo: '\u201C',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  copy: '©',
};

const REFERENCE = /&(#x[0-9a-f]+|#\d+|[a-z]+);/giu;

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}
