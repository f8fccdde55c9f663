/**
 * The absolute URLs one set of feed documents points at: SiteInfo (+ optional base
 * path) → FeedLinks. Every renderer takes the same FeedLinks.
 *
 * Decision: there is no `self` field. RSS, Atom and JSON Feed documents of one set
 * are rendered from the same FeedLinks, and each renderer uses the URL of its own
 * format (`rss`, `atom` or `json`) as its self link / `feed_url`. A shared `self`
 * would be right for one format and wrong for the other two.
 *
 * The optional fields belong to later features and are rendered when present:
 * - `hubs`: WebSub hubs (https://www.w3.org/TR/websub/#discovery) → `rel="hub"`, JSON `hubs`.
 * - `stylesheet`: XSL for browsers → `<?xml-stylesheet type="text/xsl"?>` in RSS and Atom.
 * - `prevArchive`, `nextArchive`, `current`: RFC 5005 §4 archived feeds. They name
 *   documents of one format, so a caller rendering archive pages builds one FeedLinks
 *   per format (with `rss`/`atom`/`json` set to that page's URL).
 * - `nextUrl`: JSON Feed pagination (`next_url`).
 * - `archive`: marks an RFC 5005 archive document (`<fh:archive/>` in RSS and Atom).
 *
 * The home of a scoped set (`/tags/climat`) is the scope's HTML page without a trailing
 * slash: route paths never end in `/` except the site root.
 *
 * Must not: read configuration or the environment; the formats and their file names live in
 * feed-formats.ts.
 */
import type { SiteInfo } from '../model.ts';
import { FEED_FORMAT_LIST, FEED_PATHS, type FeedFormat } from './feed-formats.ts';

/** One absolute URL per feed format: `rss`, `atom`, `json` (feed-formats.ts). */
export type FormatUrls = { readonly [F in FeedFormat]: string };

export interface FeedLinks extends FormatUrls {
  /** The HTML page the feeds describe (`rel="alternate"`, `home_page_url`). */
  readonly home: string;
  readonly hubs?: readonly string[];
  readonly stylesheet?: string;
  readonly prevArchive?: string;
  readonly nextArchive?: string;
  readonly current?: string;
  readonly nextUrl?: string;
  readonly archive?: true;
}

/**
 * The HTML preview of one feed set (render-feed-preview.ts), published next to its feeds: what
 * a browser gets when it opens any of them (the app's browser-view rule).
 */
export const PREVIEW_FILE = '/feed.html';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A route ending in one of the formats' files (`/feed.xml`, `/atom.xml`, `/feed.json`). */
const FEED_FILE = new RegExp(`(?:${FEED_FORMAT_LIST.map((f) => escapeRegExp(FEED_PATHS[f])).join('|')})$`);

/**
 * A feed's route (without query: `/tags/x/atom.xml`, `/archive/3/feed.json`) → its preview's
 * route (`/tags/x/feed.html`), or null when the route is not a feed file. A `?limit` variant
 * shares the preview of its current feed.
 */
export function feedPreviewPathOf(feedPath: string): string | null {
  return FEED_FILE.test(feedPath) ? feedPath.replace(FEED_FILE, PREVIEW_FILE) : null;
}

/**
 * Links of the main feeds under `site.baseUrl` + `basePath` (e.g. `/tags/climat`
 * for a per-tag set). `basePath` may be given with or without its leading slash.
 */
export function createFeedLinks(site: SiteInfo, basePath = ''): FeedLinks {
  const trimmedBase = site.baseUrl.replace(/\/+$/, '');
  const trimmedPath = basePath.replace(/^\/+|\/+$/g, '');
  const root = trimmedPath === '' ? trimmedBase : `${trimmedBase}/${trimmedPath}`;
  const urls = Object.fromEntries(FEED_FORMAT_LIST.map((f) => [f, `${root}${FEED_PATHS[f]}`]));
  return { home: trimmedPath === '' ? `${root}/` : root, ...(urls as FormatUrls) };
}
