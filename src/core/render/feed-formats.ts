/**
 * The feed formats kiosque publishes: ONE table of each format's file name, media type and
 * display label. Everything else derives from it: the feed paths of every scope and archive page
 * (feed-links.ts), the stored Content-Type, the `<link rel="alternate">` and subscribe links of
 * the human pages, which routes are feeds for the app (CORS, `?limit`, WebSub pings, JSON errors).
 *
 * Adding a format: a row here, then its renderer in `syndicate/build-feed-set.ts` RENDERERS (a
 * `Record<FeedFormat, …>`: the compiler names the missing entry). The renderers are not in this
 * table because the app imports it to classify routes, and the Worker's startup module must not
 * carry the renderers (they load with the pipeline module, see docs/deploy-worker.md).
 *
 * Must not: import a renderer or anything with side effects; sniff bodies (the content type
 * stored in the manifest is the truth).
 */

export interface FeedFormatSpec {
  /** The file of the format under a scope or archive page: `/feed.xml`. */
  readonly path: `/${string}`;
  /** Media type without parameters. */
  readonly mediaType: string;
  /** Shown to people (the same in every language). */
  readonly label: string;
}

export const FEED_FORMATS = {
  rss: { path: '/feed.xml', mediaType: 'application/rss+xml', label: 'RSS' },
  atom: { path: '/atom.xml', mediaType: 'application/atom+xml', label: 'Atom' },
  json: { path: '/feed.json', mediaType: 'application/feed+json', label: 'JSON Feed' },
} as const satisfies Record<string, FeedFormatSpec>;

export type FeedFormat = keyof typeof FEED_FORMATS;

/** The formats in publishing order (RSS first: the one a reader is offered first). */
export const FEED_FORMAT_LIST: readonly FeedFormat[] = Object.keys(FEED_FORMATS) as FeedFormat[];

function mapFormats<T>(of: (spec: FeedFormatSpec) => T): { readonly [F in FeedFormat]: T } {
  return Object.fromEntries(FEED_FORMAT_LIST.map((f) => [f, of(FEED_FORMATS[f])])) as {
    [F in FeedFormat]: T;
  };
}

/** Where each format's main feed is published, relative to the site (or a scope's base path). */
export const FEED_PATHS = mapFormats((spec) => spec.path);

/** The Content-Type each format is stored and served with. */
export const FEED_CONTENT_TYPES = mapFormats((spec) => `${spec.mediaType}; charset=utf-8`);

/** The feed format of a Content-Type, or null for anything else (HTML, XSL, OPML, text). */
export function feedFormatOf(contentType: string): FeedFormat | null {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return FEED_FORMAT_LIST.find((f) => FEED_FORMATS[f].mediaType === type) ?? null;
}
