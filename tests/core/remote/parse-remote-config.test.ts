import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config.ts';
import { DEFAULT_FETCH_CONFIG } from '../../../src/core/remote/parse-remote-config.ts';

describe('remote config', () => {
  it('defaults: no sources, polite fetch settings, 30-day retention, no jitter', () => {
    const config = parseConfig({});
    expect(config.remote).toEqual({
      sources: [],
      fetch: DEFAULT_FETCH_CONFIG,
      retentionDays: 30,
      scheduleJitterSeconds: 0,
      shutdownGraceSeconds: 30,
    });
    expect(config.remote.fetch.allowPrivateNetworks).toBe(false);
  });

  it('reads sources and fetch overrides', () => {
    const config = parseConfig({
      sources: [
        { type: 'feed', url: 'https://news.example/rss', name: 'news', tags: ['a'], limit: 5 },
        { type: 'article', url: 'https://blog.example/post' },
      ],
      fetch: { maxBytes: 2048, allowPrivateNetworks: true },
      retentionDays: 7,
      scheduleJitterSeconds: 60,
    });
    expect(config.remote.sources).toEqual([
      { type: 'feed', url: 'https://news.example/rss', name: 'news', tags: ['a'], limit: 5 },
      { type: 'article', url: 'https://blog.example/post' },
    ]);
    expect(config.remote.fetch).toMatchObject({ maxBytes: 2048, allowPrivateNetworks: true, retries: 2 });
    expect(config.remote.retentionDays).toBe(7);
  });

  it.each([
    [{ sources: {} }, /sources must be an array/],
    [
      {
        sources: [
          { type: 'feed', url: 'https://a.example/' },
          { type: 'feed', url: 'https://b.example/' },
          { type: 'feed', url: 'ftp://x' },
        ],
      },
      /^sources\[2\]\.url must be an absolute http\(s\) URL, got "ftp:\/\/x"$/,
    ],
    [
      { sources: [{ type: 'page', url: 'https://a.example/' }] },
      /sources\[0\]\.type must be "feed" or "article", got "page"/,
    ],
    [
      { sources: [{ type: 'feed', url: 'https://a.example/', limit: 0 }] },
      /sources\[0\]\.limit must be an integer from 1 to 1000/,
    ],
    [
      { sources: [{ type: 'article', url: 'https://a.example/', limit: 3 }] },
      /sources\[0\]\.limit only applies to "feed"/,
    ],
    [
      { sources: [{ type: 'feed', url: 'https://a.example/', tag: ['x'] }] },
      /unknown field "sources\[0\]\.tag"/,
    ],
    [
      {
        sources: [
          { type: 'feed', url: 'https://a.example/x' },
          { type: 'feed', url: 'https://a.example/x' },
        ],
      },
      /sources\[1\]\.url repeats sources\[0\]\.url/,
    ],
    [{ fetch: { maxBytes: 'big' } }, /fetch\.maxBytes must be an integer/],
    [{ fetch: { allowPrivate: true } }, /unknown field "fetch\.allowPrivate"/],
    [{ fetch: { allowPrivateNetworks: 'yes' } }, /fetch\.allowPrivateNetworks must be true or false/],
    [{ retentionDays: -1 }, /retentionDays must be an integer from 0 to 3650/],
  ])('%j is refused with a message naming the bad entry', (input, message) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
    expect(() => parseConfig(input)).toThrow(message);
  });
});
