import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../src/core/clean/clean-document.ts';
import { sanitiseHtml } from '../../src/core/clean/sanitise-html.ts';
import { parseDocument } from '../../src/core/load/parse-document.ts';
import type { FeedDocument, FeedItem, RenderedDocument } from '../../src/core/model.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../../src/core/normalise/to-feed-item.ts';
import { assembleFeed } from '../../src/core/plan/assemble-feed.ts';
import { buildDocuments } from '../../src/core/plan/build-documents.ts';
import { stripInvalidXmlChars } from '../../src/core/render/xml-text.ts';
import { advanceItemRecord } from '../../src/core/state/item-record.ts';
import { createItem, createSite } from '../core/render/fixtures.ts';
import { findIllegalXmlChar } from '../core/render/xml-assert.ts';

/** Fragments that break naive feed writers, each named in the issue. */
const NASTY = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001F',
  '\u007F',
  '\u0085',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  'a\uD83D',
  '\uDE00b',
  ']]>',
  ']]>]]>]]>',
  ']]]]>',
  '<![CDATA[',
  ']]',
  '&',
  '&amp;',
  '&lt;',
  '&#0;',
  '&#xD800;',
  '&bogus;',
  '<',
  '>',
  '</title>',
  '<script>alert(1)</script>',
  '"',
  "'",
  '\u200F',
  '\u200E',
  '\u202E',
  '\u2066',
  '\u061C',
  'עברית',
  'العربية',
  '😀',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇫🇷',
  'e\u0301',
  'Z̤͔ͧ̑̓',
  'ﷺ',
  '\u00AD',
  '\u200B',
  '\r\n',
  '\t',
  ' ',
];

const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
      { weight: 2, arbitrary: fc.constantFrom('Le', 'port', 'rouvre', 'ses', 'quais', 'demain', 'matin') },
    ),
    { minLength: 1, maxLength: 14 },
  )
  .map((parts) => parts.join(' '));

const site = createSite();
const xml = new XMLParser({
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => ['item', 'entry'].includes(name),
});

interface Parsed {
  ids: string[];
  titles: string[];
}

/** Every rendered document: XML well-formed with legal characters only, JSON valid. */
function expectWellFormed(documents: readonly RenderedDocument[]): void {
  for (const document of documents) {
    if (/xml/.test(document.contentType) || document.path.endsWith('.xml')) {
      expect(XMLValidator.validate(document.body), document.path).toBe(true);
      expect(findIllegalXmlChar(document.body), document.path).toBeNull();
    } else if (/json/.test(document.contentType)) {
      expect(() => JSON.parse(document.body), document.path).not.toThrow();
    }
  }
}

function feedsOf(documents: readonly RenderedDocument[]): { rss: Parsed; atom: Parsed; json: Parsed } {
  const body = (path: string): string => documents.find((d) => d.path === path)?.body ?? '';
  const rss = xml.parse(body('/feed.xml')) as {
    rss: { channel: { item?: { guid: unknown; title: unknown }[] } };
  };
  const atom = xml.parse(body('/atom.xml')) as { feed: { entry?: { id: unknown; title: unknown }[] } };
  const json = JSON.parse(body('/feed.json')) as { items: { id: string; title?: string }[] };
  const text = (value: unknown): string =>
    typeof value === 'object' && value !== null
      ? String((value as Record<string, unknown>)['#text'] ?? '')
      : String(value ?? '');
  return {
    rss: {
      ids: (rss.rss.channel.item ?? []).map((i) => text(i.guid)),
      titles: (rss.rss.channel.item ?? []).map((i) => text(i.title)),
    },
    atom: {
      ids: (atom.feed.entry ?? []).map((e) => text(e.id)),
      titles: (atom.feed.entry ?? []).map((e) => text(e.title)),
    },
    json: { ids: json.items.map((i) => i.id), titles: json.items.map((i) => i.title ?? '') },
  };
}

/** Same items in the three formats; titles differ from the item only by XML-illegal characters. */
function expectSameItems(documents: readonly RenderedDocument[], items: readonly FeedItem[]): void {
  const { rss, atom, json } = feedsOf(documents);
  expect(rss.ids).toEqual(json.ids);
  expect(atom.ids).toEqual(json.ids);
  const expected = items.map((item) => stripInvalidXmlChars(item.title).replace(/\r\n?/g, '\n'));
  // XML parsers normalise CR/CRLF line ends to LF (XML 1.0 §2.11): the same text.
  expect(rss.titles).toEqual(expected);
  expect(atom.titles).toEqual(expected);
  expect(json.titles.map((t) => stripInvalidXmlChars(t).replace(/\r\n?/g, '\n'))).toEqual(expected);
}

describe('hostile characters: every document well-formed, the same items in every format', () => {
  it('renderers: any title, lead, author, tags and sanitised body', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            title: hostileText,
            lead: hostileText,
            author: hostileText,
            publisher: hostileText,
            tag: hostileText,
            body: hostileText,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        hostileText,
        (fields, siteTitle) => {
          const items = fields
            .map((f, k) =>
              createItem({
                id: `urn:uuid:00000000-0000-4000-8000-00000000000${k}`,
                slug: `item-${k}`,
                url: `https://news.example/articles/item-${k}`,
                title: f.title,
                lead: f.lead,
                author: f.author,
                publisher: f.publisher,
                tags: [f.tag, 'fixe'],
                contentText: f.body,
                contentHtml: sanitiseHtml(`<p>${f.body}</p><p>${f.title}</p>`),
                published: `2025-06-0${k + 1}T10:00:00Z`,
                updated: `2025-06-0${k + 1}T10:00:00Z`,
              }),
            )
            .reverse();
          const feed: FeedDocument = {
            site: { ...site, title: siteTitle },
            items,
            updated: '2025-06-04T00:00:00Z',
          };
          const documents = buildDocuments(feed, 10);
          expectWellFormed(documents);
          expectSameItems(documents, items);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('load → clean → normalise → render: any text article', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (title, first, second) => {
        const body = `${title}\n\n${first} Le port rouvre ses quais demain matin, après trois semaines de travaux.\n\n${second} Les ferries reprendront leurs horaires d’hiver dès lundi.\n`;
        const parsed = parseDocument({
          sourceId: 'a/x.txt',
          file: 'x.txt',
          source: 'a',
          format: 'text',
          body,
        });
        const clean = cleanDocument(parsed, { defaultLanguage: 'fr' });
        const content = composeItemContent(clean, site);
        const record = await advanceItemRecord(
          null,
          {
            sourceId: 'a/x.txt',
            identityKey: 'a/x.txt',
            slug: 'x',
            contentHash: await hashItemContent(content),
          },
          new Date('2025-06-01T10:00:00Z'),
        );
        const item = toFeedItem(content, record, site);
        const feed = assembleFeed([item], site, '2025-06-01T10:00:00Z');
        const documents = buildDocuments(feed, 10);
        expectWellFormed(documents);
        expectSameItems(documents, feed.items);
        // The body reaches the reader as text, not markup: no element came from the input.
        expect(item.contentHtml).not.toMatch(/<script|<title|<!\[CDATA\[/i);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it.each([
    ['a title with ]]> once', 'Fin ]]> suite'],
    ['a title with ]]> repeated', ']]>]]>]]]]>>'],
    ['ampersands and angle brackets', 'AT&T <b>gagne</b> & perd'],
    ['right-to-left marks', 'שלום \u200F123\u200F עולם'],
    ['emoji sequences', 'Famille 👨‍👩‍👧‍👦 et drapeau 🏳️‍🌈'],
    ['combining characters', 'Cafe\u0301 and Zalgo Z̤͔ͧ̑̓'],
  ])('keeps %s exactly (no change of meaning)', (_label, title) => {
    const items = [createItem({ title })];
    const documents = buildDocuments({ site, items, updated: '2025-06-04T00:00:00Z' }, 10);
    expectWellFormed(documents);
    const { rss, atom, json } = feedsOf(documents);
    expect(rss.titles).toEqual([title]);
    expect(atom.titles).toEqual([title]);
    expect(json.titles).toEqual([title]);
  });

  it.each([
    ['an emoji ZWJ sequence', 'La famille 👨‍👩‍👧‍👦 part en vacances'],
    ['a Persian zero-width non-joiner', 'من می‌خواهم به خانه بروم'],
    ['right-to-left marks', 'שלום \u200F123\u200F עולם'],
    ['a combining accent', 'Cafe\u0301 crème au port'],
    ['ampersands and angle brackets as text', 'AT&T < gagne > & perd'],
    ['a CDATA terminator', 'Fin ]]> suite ]]> du titre'],
  ])('the cleaner and normaliser keep %s in a title and body exactly', async (_label, title) => {
    const body = `${title}\n\nLe port rouvre ses quais demain matin, après trois semaines de travaux : ${title}.\n\nLes ferries reprendront leurs horaires d’hiver dès lundi.\n`;
    const parsed = parseDocument({ sourceId: 'a/x.txt', file: 'x.txt', source: 'a', format: 'text', body });
    const content = composeItemContent(cleanDocument(parsed, { defaultLanguage: 'fr' }), site);
    expect(content.title).toBe(title);
    expect(content.contentText).toContain(title);
  });

  it('a title is text: tag-shaped markup leaves the title (issue 24 item 5), the body keeps it', () => {
    const title = 'AT&T <b>gagne</b> & perd';
    const body = `${title}\n\nLe port rouvre ses quais demain matin, après trois semaines de travaux : ${title}.\n\nLes ferries reprendront leurs horaires d’hiver dès lundi.\n`;
    const parsed = parseDocument({ sourceId: 'a/x.txt', file: 'x.txt', source: 'a', format: 'text', body });
    const content = composeItemContent(cleanDocument(parsed, { defaultLanguage: 'fr' }), site);
    expect(content.title).toBe('AT&T gagne & perd');
    expect(content.contentText).toContain(title);
  });

  it('drops only XML-illegal characters (control chars, lone surrogates), the same way in every format', () => {
    const title = 'A\u0000B\u0008C\uD800D\uDFFFE\uFFFEF';
    const documents = buildDocuments(
      { site, items: [createItem({ title })], updated: '2025-06-04T00:00:00Z' },
      10,
    );
    expectWellFormed(documents);
    const { rss, atom, json } = feedsOf(documents);
    expect(rss.titles).toEqual(['ABCDEF']);
    expect(atom.titles).toEqual(['ABCDEF']);
    expect(json.titles).toEqual(['ABCDEF']);
  });
});
