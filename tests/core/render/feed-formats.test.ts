import { describe, expect, it } from 'vitest';
import {
  FEED_CONTENT_TYPES,
  FEED_FORMAT_LIST,
  FEED_FORMATS,
  FEED_PATHS,
  feedFormatOf,
} from '../../../src/core/render/feed-formats.ts';
import { createFeedLinks, feedPreviewPathOf } from '../../../src/core/render/feed-links.ts';
import { FEED_TYPES } from '../../../src/core/render/render-html-pages.ts';

const site = { title: 'T', description: '', baseUrl: 'https://news.example', language: 'fr', ttlMinutes: 15 };

describe('the feed format table', () => {
  it('is the one place the formats are named: paths, content types, links and page offers derive from it', () => {
    expect(FEED_FORMAT_LIST).toEqual(['rss', 'atom', 'json']);
    for (const format of FEED_FORMAT_LIST) {
      const spec = FEED_FORMATS[format];
      expect(FEED_PATHS[format]).toBe(spec.path);
      expect(FEED_CONTENT_TYPES[format]).toBe(`${spec.mediaType}; charset=utf-8`);
      expect(feedFormatOf(FEED_CONTENT_TYPES[format])).toBe(format);
      expect(createFeedLinks(site, '/tags/climat')[format]).toBe(
        `https://news.example/tags/climat${spec.path}`,
      );
      expect(feedPreviewPathOf(`/archive/3${spec.path}`)).toBe('/archive/3/feed.html');
    }
    expect(FEED_TYPES.map((t) => [t.key, t.type, t.label])).toEqual(
      FEED_FORMAT_LIST.map((f) => [f, FEED_FORMATS[f].mediaType, FEED_FORMATS[f].label]),
    );
    expect(new Set(Object.values(FEED_PATHS)).size).toBe(FEED_FORMAT_LIST.length);
  });

  it('classifies content types by media type, ignoring case and parameters', () => {
    expect(feedFormatOf('Application/Atom+XML ; charset=UTF-8')).toBe('atom');
    expect(feedFormatOf('application/feed+json')).toBe('json');
    expect(feedFormatOf('text/html; charset=utf-8')).toBeNull();
    expect(feedFormatOf('application/xml')).toBeNull();
    expect(feedPreviewPathOf('/feed.xml.bak')).toBeNull();
    expect(feedPreviewPathOf('/tags/x/feedxxml')).toBeNull();
  });
});
