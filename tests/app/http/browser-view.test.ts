import { describe, expect, it } from 'vitest';
import { createBrowserNavigationCache, isBrowserNavigation } from '../../../src/app/http/browser-view.ts';

describe('isBrowserNavigation', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['text/html', true],
    ['text/html;q=0, */*', false],
    [undefined, false],
    ['*/*', false],
    // Miniflux, feedparser, FreshRSS (SimplePie): feed types named → not a browser.
    [
      'application/rss+xml, application/rdf+xml;q=0.8, application/atom+xml;q=0.6, application/xml;q=0.4, text/xml;q=0.4',
      false,
    ],
    [
      'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1',
      false,
    ],
    [
      'application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, */*;q=0.1',
      false,
    ],
  ])('%s → %s', (accept, expected) => {
    expect(isBrowserNavigation(accept)).toBe(expected);
  });
});

describe('createBrowserNavigationCache', () => {
  it('answers like isBrowserNavigation for repeated and new values, within its bound', () => {
    const isBrowser = createBrowserNavigationCache(2);
    const values = ['text/html', '*/*', 'text/html;q=0, */*', 'application/rss+xml, text/html', undefined];
    for (let round = 0; round < 3; round++) {
      for (const accept of values) expect(isBrowser(accept)).toBe(isBrowserNavigation(accept));
    }
  });
});
