/**
 * The domain types of kiosque, one per pipeline state:
 * RawDocument → ParsedDocument → CleanDocument → FeedItem → FeedDocument → PublishedDocument.
 *
 * Must not: import anything outside `core/`, hold behaviour, or allow loose types
 * (dates are ISO-8601 strings in UTC, normalised once at the boundary).
 */

/** How a source document is written. */
export type SourceFormat = 'text' | 'markdown' | 'html';

/**
 * Metadata an author states explicitly (front matter, an HTML page's own meta, a
 * `.meta.json` sidecar). Every field overrides what the cleaner infers.
 */
export interface ArticleMetadata {
  readonly id?: string;
  readonly title?: string;
  /** Publication date as stated (ISO-8601 when valid); normalise checks it once (normalise-date.ts). */
  readonly date?: string;
  /** Date of the last meaningful edit, as stated; checked like `date`. */
  readonly updated?: string;
  readonly author?: string;
  readonly publisher?: string;
  /** Canonical URL of the article on its original site. */
  readonly url?: string;
  readonly tags?: readonly string[];
  /** Language as stated, e.g. `fr`, `pt-BR`; normalise keeps it only if BCP 47 (normalise-language.ts). */
  readonly lang?: string;
  readonly summary?: string;
  readonly image?: string;
  /** Media files the source attaches (an upstream feed's enclosures: podcasts, videos). */
  readonly enclosures?: readonly Enclosure[];
}

/** The ArticleMetadata fields that hold one string (a sidecar's, counted by same-story folding). */
export const ARTICLE_STRING_FIELDS = [
  'id',
  'title',
  'date',
  'updated',
  'author',
  'publisher',
  'url',
  'lang',
  'summary',
  'image',
] as const satisfies readonly (keyof ArticleMetadata)[];

/** A media file attached to an item (RSS `enclosure`, Atom `rel="enclosure"`, JSON Feed attachment). */
export interface Enclosure {
  /** Absolute http(s) URL. */
  readonly url: string;
  /** MIME type, e.g. `audio/mpeg`. */
  readonly type: string;
  /** Size in bytes, when the source states it. */
  readonly length?: number;
}

export type MediaKind = 'image' | 'video' | 'audio';

/** One `<source>` of a `<picture>`, `<video>` or `<audio>`, its URLs absolute. */
export interface MediaSource {
  /** `src` (video/audio) or the rewritten `srcset` (picture), absolute http(s) URLs only. */
  readonly url?: string;
  readonly srcset?: string;
  readonly type?: string;
  readonly media?: string;
  readonly sizes?: string;
}

/**
 * An image, video or audio element of the article, as the loader found it: URLs already
 * resolved against the page's base (undefined when none was usable) and the facts the cleaner
 * judges it by (its place among the raw blocks, the class/id hints around it, its size).
 */
/** What an image, video or audio element says of itself, as found and as kept. */
export interface MediaAttributes {
  readonly kind: MediaKind;
  readonly srcset?: string;
  readonly sources?: readonly MediaSource[];
  readonly alt?: string;
  readonly title?: string;
  /** Text of the `<figcaption>` of the enclosing `<figure>`. */
  readonly caption?: string;
  readonly width?: number;
  readonly height?: number;
  /** Video poster image, absolute http(s). */
  readonly poster?: string;
}

export interface RawMedia extends MediaAttributes {
  /** Absolute http(s) URL of the image or media file; undefined when unsafe or unresolvable. */
  readonly src?: string;
  /** What the markup said before resolution (for the explain trace). */
  readonly rawSrc: string;
  /** Index of the raw block this media sits before (blocks.length: after the last). */
  readonly at: number;
  /** Raw blocks emitted from inside the element (its caption, a fallback text). */
  readonly span: number;
  /** class and id of the element and of its ancestors inside the content, lower-cased. */
  readonly hints: string;
  /** href of an enclosing link, absolute when resolvable. */
  readonly link?: string;
  /** Set when the loader dropped the region it sat in (page chrome, outside the article). */
  readonly outside?: boolean;
}

/** An image, video or audio element kept in an item's body. */
export interface MediaBlock extends MediaAttributes {
  /** Absolute http(s) URL. */
  readonly src: string;
  /** Index in the body blocks before which it is shown (blocks.length: after the last block). */
  readonly before: number;
}

/** A source document as found: decoded text plus where it came from. */
export interface RawDocument {
  /** Stable reference to the source: a path relative to content/ or an absolute URL. */
  readonly sourceId: string;
  /** File name (or last URL segment) used in reports and `clean --json`. */
  readonly file: string;
  /** Articles of the same source share chrome; lines repeated across one source are boilerplate. */
  readonly source: string;
  readonly format: SourceFormat;
  readonly body: string;
  /** Base URL against which relative links resolve (HTML path). */
  readonly baseUrl?: string;
  /** Metadata known before parsing (sidecar file, upstream feed entry). */
  readonly metadata?: ArticleMetadata;
}

export type BlockKind = 'paragraph' | 'heading' | 'quote' | 'list';

/** One unit of the article's body after cleaning. */
export interface Block {
  readonly kind: BlockKind;
  /** Plain text of the block; for a list, its items joined by newlines. */
  readonly text: string;
  /** Heading level 2–6 for `heading` blocks. */
  readonly level?: number;
  /** List items, for `list` blocks. */
  readonly items?: readonly string[];
  /** Whether a list is ordered. */
  readonly ordered?: boolean;
}

/** A candidate block before classification, as the loader found it. */
export interface RawBlock {
  readonly text: string;
  /** What the markup says the block is; plain text gives `paragraph` until classified. */
  readonly hint: BlockKind;
  readonly level?: number;
  readonly items?: readonly string[];
  readonly ordered?: boolean;
  /** Share of the block's characters inside links (HTML path); 0 for plain text. */
  readonly linkDensity?: number;
}

/** A document split into candidate blocks, with the metadata its markup states. */
export interface ParsedDocument {
  readonly raw: RawDocument;
  readonly metadata: ArticleMetadata;
  readonly blocks: readonly RawBlock[];
  /** What the loader already dropped from the article area (HTML widgets), each with its rule. */
  readonly dropped?: readonly Removal[];
  /** Images, video and audio inside the article area, in document order (judged by the cleaner). */
  readonly media?: readonly RawMedia[];
  /** Guard refusals and winner growth the loader decided (explain trace; no block shows them). */
  readonly structure?: readonly StructureDecision[];
}

/**
 * A decision about a whole element (or text block) that no block decision shows, for
 * `kiosque clean --explain`: the main-prose guard refused a rule's removal, or winner growth added
 * an element to the winning container.
 */
export interface StructureDecision {
  readonly rule: 'main-prose-guard' | 'winner-growth';
  /** The element (`<div class="share-box">`) or, on the text path, `text block N`. */
  readonly element: string;
  /** Its text, tidied and cut to a preview (the blocks carry the full text). */
  readonly text: string;
  /** Guard: the rule whose removal was refused. Growth: what joined (`headline`, `lead`, `figure`…). */
  readonly subject: string;
  /** Guard: the element's share of the prose it was measured against (0–1, two decimals). */
  readonly share?: number;
  readonly reason: string;
}

/** A block the cleaner removed, with the rule that removed it. */
export interface Removal {
  readonly text: string;
  /** Machine-readable rule name, e.g. `chrome-lexicon`, `repeated-across-source`. */
  readonly rule: string;
  /** Human-readable reason. */
  readonly reason: string;
}

export interface Warning {
  /** Machine-readable code, e.g. `machine-translation-artefact`. */
  readonly code: string;
  readonly message: string;
}

/** What the cleaner inferred about the article (explicit metadata still wins later). */
export interface InferredMetadata {
  readonly title?: string;
  readonly lead?: string;
  readonly author?: string;
  readonly publisher?: string;
  readonly date?: string;
  readonly language?: string;
}

/** The main content of one article, its boilerplate removed and explained. */
export interface CleanDocument {
  readonly raw: RawDocument;
  readonly metadata: ArticleMetadata;
  readonly inferred: InferredMetadata;
  /** Body blocks, in order, without the title and bylines. */
  readonly blocks: readonly Block[];
  readonly removed: readonly Removal[];
  readonly warnings: readonly Warning[];
  /** Images, video and audio kept with the body, each placed before a body block. */
  readonly media?: readonly MediaBlock[];
}

/** One entry of a feed, complete and stable. */
export interface FeedItem {
  /** Stable, opaque, never derived from the title (a `urn:uuid:`). */
  readonly id: string;
  /** Path segment of the item's permalink page: `/articles/<slug>`. */
  readonly slug: string;
  /** Absolute permalink on this site. */
  readonly url: string;
  /** Canonical URL on the original site, when known. */
  readonly externalUrl?: string;
  readonly title: string;
  readonly lead: string;
  /** Sanitised HTML body (paragraphs, sub-headings, quotes, lists). */
  readonly contentHtml: string;
  readonly contentText: string;
  readonly blocks: readonly Block[];
  /** BCP 47 language tag. */
  readonly language: string;
  readonly author?: string;
  readonly publisher?: string;
  readonly tags: readonly string[];
  /** The lead image: explicit metadata, else the page's meta tags, else the first body image. */
  readonly image?: string;
  /** Media files attached to the item (upstream enclosures). */
  readonly enclosures?: readonly Enclosure[];
  /** ISO-8601, UTC. Never changes once issued. */
  readonly published: string;
  /** ISO-8601, UTC. Moves only when the content changes. */
  readonly updated: string;
  /** Hash of what the reader sees; drives `updated`. */
  readonly contentHash: string;
  readonly sourceId: string;
  readonly warnings: readonly Warning[];
}

/** Site-wide facts every document needs. */
export interface SiteInfo {
  readonly title: string;
  readonly description: string;
  /** Absolute base URL without trailing slash, e.g. `https://news.example`. */
  readonly baseUrl: string;
  readonly language: string;
  /** Minutes between regenerations; drives RSS `<ttl>` and Cache-Control. */
  readonly ttlMinutes: number;
}

/** Everything a renderer needs: the site, its items newest first, and when it last changed. */
export interface FeedDocument {
  readonly site: SiteInfo;
  readonly items: readonly FeedItem[];
  /** ISO-8601; the newest item's `updated` (stable across regenerations). */
  readonly updated: string;
}

/** A rendered document ready to publish under its route. */
export interface RenderedDocument {
  /** Route path, e.g. `/feed.xml`, `/articles/abc`. */
  readonly path: string;
  /** Full Content-Type, with charset. */
  readonly contentType: string;
  readonly body: string;
  /** Bytes that will never change (a full RFC 5005 archive page): cached for a year. */
  readonly immutable?: boolean;
}
