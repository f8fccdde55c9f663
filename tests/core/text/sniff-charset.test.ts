import { describe, expect, it } from 'vitest';
import { decodeFetchedText, sniffCharset } from '../../../src/core/text/sniff-charset.ts';

const latin1 = (text: string) => Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)));

describe('sniffCharset / decodeFetchedText', () => {
  it('BOM beats header beats meta', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    expect(sniffCharset(bom, 'text/html; charset=iso-8859-1')).toEqual({
      charset: 'utf-8',
      from: 'bom',
      bomLength: 3,
    });
    expect(sniffCharset(latin1('<meta charset="utf-8">'), 'text/html; charset=ISO-8859-1').charset).toBe(
      'windows-1252',
    );
    expect(
      sniffCharset(
        latin1('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'),
        'text/html',
      ),
    ).toEqual({
      charset: 'iso-8859-15',
      from: 'meta',
      bomLength: 0,
    });
    expect(sniffCharset(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>'), null).charset).toBe(
      'windows-1252',
    );
  });
  it('decodes windows-1252 with its C1 characters (€, œ, ’) on every runtime', () => {
    const bytes = new Uint8Array([0x80, 0x20, 0x9c, 0x75, 0x76, 0x72, 0x65, 0x92, 0xe9]);
    expect(decodeFetchedText(bytes, 'text/html; charset=windows-1252').text).toBe('€ œuvre’é');
  });
  it('a false UTF-8 declaration or no declaration on legacy bytes falls back to windows-1252', () => {
    const bytes = latin1('caf\u00e9');
    expect(decodeFetchedText(bytes, 'text/html; charset=utf-8')).toMatchObject({
      text: 'café',
      guessed: true,
    });
    expect(decodeFetchedText(bytes, 'text/html')).toMatchObject({ text: 'café', charset: 'windows-1252' });
    expect(decodeFetchedText(new TextEncoder().encode('café'), 'text/html')).toMatchObject({
      text: 'café',
      charset: 'utf-8',
    });
  });
});
