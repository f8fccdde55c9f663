import { describe, expect, it } from 'vitest';
import { FEED_PATHS } from '../../../src/core/render/feed-formats.ts';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { createSite } from './fixtures.ts';

describe('createFeedLinks', () => {
  it('builds absolute URLs of the main feeds under the base URL', () => {
    expect(createFeedLinks(createSite())).toEqual({
      home: 'https://news.example/',
      rss: `https://news.example${FEED_PATHS.rss}`,
      atom: 'https://news.example/atom.xml',
      json: 'https://news.example/feed.json',
    });
  });

  it('puts a base path between the site and the feed paths, with or without slashes', () => {
    const expected = {
      home: 'https://news.example/tags/climat',
      rss: 'https://news.example/tags/climat/feed.xml',
      atom: 'https://news.example/tags/climat/atom.xml',
      json: 'https://news.example/tags/climat/feed.json',
    };
    expect(createFeedLinks(createSite(), '/tags/climat')).toEqual(expected);
    expect(createFeedLinks(createSite(), 'tags/climat/')).toEqual(expected);
  });

  it('tolerates a trailing slash on the base URL', () => {
    expect(createFeedLinks(createSite({ baseUrl: 'https://news.example/' })).rss).toBe(
      'https://news.example/feed.xml',
    );
  });

  it('sets none of the optional links', () => {
    expect(Object.keys(createFeedLinks(createSite())).sort()).toEqual(['atom', 'home', 'json', 'rss']);
  });
});
