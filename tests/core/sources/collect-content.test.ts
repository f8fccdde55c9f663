import { describe, expect, it } from 'vitest';
import {
  collectContent,
  decodeText,
  isHidden,
  parseSidecar,
} from '../../../src/core/sources/collect-content.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { LogFields, Logger } from '../../../src/ports/logger.ts';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('decodes UTF-8 and strips the BOM', () => {
    expect(decodeText(encode('\uFEFFé')).text).toBe('é');
  });
  it('falls back to Windows-1252 for invalid UTF-8', () => {
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x80]))).toEqual({
      text: 'café€',
      encoding: 'windows-1252',
    });
  });
  it('decodes UTF-16 with a BOM', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0xe9, 0x00])).text).toBe('hé');
  });
});

describe('parseSidecar', () => {
  it('accepts the documented fields', () => {
    expect(parseSidecar('{"title":"T","tags":["a"]}', 'x.meta.json')).toEqual({ title: 'T', tags: ['a'] });
  });
  it.each([
    ['{', /not valid JSON/],
    ['[]', /expected a JSON object/],
    ['{"title": 3}', /"title" must be a string/],
    ['{"tags": "a"}', /"tags" must be an array/],
    ['{"autor": "x"}', /unknown metadata field "autor"/],
  ])('rejects %s naming the file', (text, message) => {
    expect(() => parseSidecar(text, 'x.meta.json')).toThrow(message);
    expect(() => parseSidecar(text, 'x.meta.json')).toThrow(/x\.meta\.json/);
  });
});

describe('collectContent', () => {
  it('reads known formats, attaches sidecars, groups by source and reports the rest', async () => {
    const storage = createMemoryStorage();
    await storage.put('a.txt', encode('Hello.'));
    await storage.put('a.meta.json', encode('{"author":"Ana"}'));
    await storage.put('site/b.md', encode('# T'));
    await storage.put('notes.docx', encode('x'));
    await storage.put('.hidden/c.txt', encode('x'));
    await storage.put('bad.txt', encode('x'));
    await storage.put('bad.meta.json', encode('{oops'));
    const logger = recordingLogger();
    const result = await collectContent(storage, logger);
    expect(result.documents.map((d) => [d.sourceId, d.source, d.format])).toEqual([
      ['a.txt', 'content', 'text'],
      ['site/b.md', 'site', 'markdown'],
    ]);
    expect(result.documents[0]?.metadata).toEqual({ author: 'Ana' });
    expect(result.skipped).toEqual([
      // Hidden entries are skipped with a line of their own too (content-skips.ts).
      { sourceId: '.hidden/', message: 'hidden folder (name starts with a dot): 1 file not published' },
      { sourceId: 'notes.docx', message: expect.stringMatching(/unknown extension/) },
    ]);
    expect(result.failures).toEqual([
      { sourceId: 'bad.txt', message: expect.stringMatching(/bad\.meta\.json: not valid JSON/) },
    ]);
    expect(logger.lines.some((l) => l.includes('notes.docx'))).toBe(true);
  });
});

describe('isHidden', () => {
  it('hides a key with any segment starting with a dot, and only those', () => {
    for (const key of ['.git/config', 'a/.draft.md', 'a/b/.c/d.txt', '.env'])
      expect(isHidden(key), key).toBe(true);
    for (const key of ['a.b/c.txt', 'notes..md', 'a/b.c/d.md', 'x/y.'])
      expect(isHidden(key), key).toBe(false);
  });
});

describe('decodeText on local HTML (issue 23)', () => {
  // "中文新闻" in GB2312, and "Новости" in KOI8-R.
  const gb = new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0xd0, 0xc2, 0xce, 0xc5]);
  const koi = new Uint8Array([0xee, 0xcf, 0xd7, 0xcf, 0xd3, 0xd4, 0xc9]);
  const page = (charset: string, body: Uint8Array): Uint8Array => {
    const head = new TextEncoder().encode(`<html><head><meta charset="${charset}"></head><body><p>`);
    return new Uint8Array([...head, ...body, ...new TextEncoder().encode('</p></body></html>')]);
  };

  it('reads the <meta charset> of an HTML file instead of falling back to Windows-1252', () => {
    expect(decodeText(page('gb2312', gb), true).text).toContain('中文新闻');
    expect(decodeText(page('koi8-r', koi), true).text).toContain('Новости');
  });

  it('keeps UTF-8 when the bytes are UTF-8 whatever the declaration, and ignores meta outside HTML', () => {
    const utf8 = new TextEncoder().encode('<meta charset="gb2312"><p>中文</p>');
    expect(decodeText(utf8, true).text).toContain('中文');
    expect(decodeText(page('gb2312', gb), false).encoding).not.toContain('meta');
  });
});
