/**
 * Test helpers: strict XML well-formedness through libxml2's `xmllint` when it is
 * installed (it is after `bash ../shared/feedcheck/install.sh`), plus a character check
 * that runs everywhere, and a cheerio XML view for reading values back.
 */
import { spawnSync } from 'node:child_process';
import { load } from 'cheerio';
import { expect } from 'vitest';

export const HAS_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;

/** Index and code of the first character outside XML 1.0's Char production, if any. */
export function findIllegalXmlChar(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a valid surrogate pair
      continue;
    }
    const illegal =
      (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff);
    if (illegal) return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at ${i}`;
  }
  return null;
}

export function expectLegalXmlChars(text: string): void {
  expect(findIllegalXmlChar(text)).toBeNull();
}

/** Fails with xmllint's message when the document is not well-formed XML. */
export function expectWellFormedXml(xml: string): void {
  expectLegalXmlChars(xml);
  if (!HAS_XMLLINT) return;
  const result = spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

export function loadXml(xml: string) {
  return load(xml, { xml: true });
}
