import { describe, expect, it } from 'vitest';
import {
  type Manifest,
  ManifestParseError,
  parseManifest,
  routeToKey,
  serializeManifest,
} from '../../../src/core/pipeline/manifest.ts';

describe('routeToKey', () => {
  it.each([
    ['/', 'index.html'],
    ['/feed.xml', 'feed.xml'],
    ['/feed.json', 'feed.json'],
    ['/articles/x', 'articles/x.html'],
    ['/articles/x.html', 'articles/x.html'],
  ])('%s → %s', (path, key) => {
    expect(routeToKey(path)).toBe(key);
  });

  it.each(['', 'feed.xml', '/articles/../secret', '/a//b', '/articles/', '/./x', '/a\0b', '/a\\b'])(
    'rejects %j with InvalidRouteError',
    (path) => {
      expect(() => routeToKey(path)).toThrow(expect.objectContaining({ name: 'InvalidRouteError' }));
    },
  );
});

const sample: Manifest = {
  version: 1,
  generation: 3,
  publishedAt: '2024-05-01T10:00:00.000Z',
  documents: {
    '/feed.xml': {
      key: 'feed.xml',
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"0123456789abcdef0123456789abcdef"',
      lastModified: '2024-05-01T10:00:00.000Z',
      size: 1000,
      gzip: { key: 'feed.xml.gz', size: 300, digest: 'aa' },
      br: { key: 'feed.xml.br', size: 250, digest: 'bb' },
    },
    '/': {
      key: 'index.html',
      contentType: 'text/html; charset=utf-8',
      etag: '"fedcba9876543210fedcba9876543210"',
      lastModified: '2024-04-01T10:00:00.000Z',
      size: 10,
    },
  },
};

describe('parseManifest', () => {
  it('round-trips a serialized manifest', () => {
    expect(parseManifest(serializeManifest(sample))).toEqual(sample);
  });

  it('serializes documents in sorted path order (stable bytes)', () => {
    const text = new TextDecoder().decode(serializeManifest(sample));
    expect(text.indexOf('"/"')).toBeLessThan(text.indexOf('"/feed.xml"'));
  });

  it.each([
    ['not JSON', 'nope{'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x00])],
    ['an array', '[]'],
    ['a wrong version', JSON.stringify({ ...sample, version: 2 })],
    ['a negative generation', JSON.stringify({ ...sample, generation: -1 })],
    ['documents missing', JSON.stringify({ version: 1, generation: 1, publishedAt: 'x' })],
    [
      'an unquoted etag',
      JSON.stringify({ ...sample, documents: { '/': { ...sample.documents['/'], etag: 'abc' } } }),
    ],
    [
      'a bad lastModified',
      JSON.stringify({
        ...sample,
        documents: { '/': { ...sample.documents['/'], lastModified: 'yesterday' } },
      }),
    ],
    [
      'a path that is not a route',
      JSON.stringify({ ...sample, documents: { '../x': sample.documents['/'] } }),
    ],
    [
      'a variant without digest',
      JSON.stringify({
        ...sample,
        documents: { '/': { ...sample.documents['/'], gzip: { key: 'index.html.gz', size: 1 } } },
      }),
    ],
  ])('throws ManifestParseError on %s', (_label, input) => {
    expect(() => parseManifest(input)).toThrow(ManifestParseError);
  });
});
