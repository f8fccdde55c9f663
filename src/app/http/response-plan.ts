/**
 * Response plans: a verified published document → every response the app can send for it,
 * built once (per document version) and frozen: for each coding (identity, gzip, br) the 200,
 * the HEAD, the browser-view 200/HEAD (RSS/Atom as application/xml, the fallback when no HTML
 * preview is published; planForPreview plans a feed's preview at its URL) and the 304, each a ready
 * headers object and body. A request then only picks one (answerWithPlan): a precomputed
 * ETag-set hit or an exact Last-Modified match for the conditional check, a remembered
 * Accept-Encoding / Accept answer for the variant. No header merging, date formatting or
 * header parsing per request, and the 304 does strictly less than the 200 (no body, no
 * Accept/browser check).
 *
 * Each coding is its own representation, so gzip and brotli carry the manifest ETag with a
 * `-gzip`/`-br` suffix (a strong ETag names exact bytes, RFC 9110 §8.8.3); If-None-Match
 * accepts any of the three (a client never re-downloads because it switched codings) and the
 * 304 carries the ETag a 200 to the same request would have (RFC 9110 §15.4.5).
 *
 * Must not: hash, compress or read storage (the reader verified the bytes once); keep a plan
 * alive longer than its document (plans are held in a WeakMap keyed by the document, so the
 * reader's byte-bounded cache bounds them too).
 * Tunables: maxAgeSeconds from createApp; header policy in response-policy.ts.
 */
import type { ManifestEntry } from '../../core/publish/manifest.ts';
import { feedFormatOf } from '../../core/render/feed-formats.ts';
import type { PublishedDocument } from '../published-reader.ts';
import { BROWSER_XML_TYPE } from './browser-view.ts';
import { isNotModified, type RepresentationValidators } from './conditional-request.ts';
import { type AvailableVariants, type ContentCoding, chooseCoding } from './negotiate-encoding.ts';
import { BASE_HEADERS } from './plain-response.ts';
import { CORS_HEADERS, cacheControlFor, isHtml } from './response-policy.ts';

/** What to send: status, headers (never mutated by anyone) and the body bytes (null: none). */
export interface PlannedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | null;
}

interface CodingPlan {
  readonly get: PlannedResponse;
  readonly head: PlannedResponse;
  /** The same bytes as application/xml for a browser (RSS/Atom only; else the plain ones). */
  readonly browserGet: PlannedResponse;
  readonly browserHead: PlannedResponse;
  readonly notModified: PlannedResponse;
}

export interface ResponsePlan {
  readonly document: PublishedDocument;
  readonly available: AvailableVariants;
  /** Any coding's ETag, exactly as sent: what a revalidating client echoes in If-None-Match. */
  readonly etags: ReadonlySet<string>;
  readonly validators: RepresentationValidators;
  /** Last-Modified as sent: what a revalidating client echoes in If-Modified-Since. */
  readonly lastModifiedHttp: string;
  readonly xmlFeed: boolean;
  /** A feed (RSS, Atom, JSON Feed): a browser navigating to it gets its HTML preview instead. */
  readonly feed: boolean;
  readonly identity: CodingPlan;
  readonly gzip: CodingPlan | null;
  readonly br: CodingPlan | null;
}

/** Reads one request header by lower-case name (the caller adapts Node or Web requests). */
export type HeaderReader = (lowerName: string) => string | undefined;

/** The per-request decisions that depend on header values, each remembered per distinct value. */
export interface HeaderDecisions {
  readonly accepted: (acceptEncoding: string | undefined) => AvailableVariants;
  readonly isBrowser: (accept: string | undefined) => boolean;
}

export interface ResponsePlanner {
  /** The plan of a verified document; null for an HTML page while the CSP is not known yet (see ready). */
  planFor(document: PublishedDocument): ResponsePlan | null;
  /**
   * The plan of a feed preview served at its feed's URL: the preview's own bytes and ETag, with
   * `Vary: Accept` (the same URL gives readers the feed). Null while the CSP is not known yet.
   */
  planForPreview(document: PublishedDocument): ResponsePlan | null;
  /** Resolves once planFor can plan every document (the CSP digest is computed asynchronously). */
  ready(): Promise<void>;
}

export interface ResponsePlannerOptions {
  readonly maxAgeSeconds: number;
  /** The Content-Security-Policy of HTML pages (computed with crypto.subtle, hence a promise). */
  readonly contentSecurityPolicy: Promise<string>;
}

/** `"abc"` + coding → the tag of that coding's representation. */
export function etagFor(entry: ManifestEntry, coding: ContentCoding): string {
  return coding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${coding}"`;
}

const freeze = <T extends object>(value: T): Readonly<T> => Object.freeze(value);

function buildPlan(
  document: PublishedDocument,
  maxAgeSeconds: number,
  csp: string,
  servedAtFeedUrl = false,
): ResponsePlan {
  const { entry } = document;
  const lastModifiedMs = Math.floor(Date.parse(entry.lastModified) / 1000) * 1000;
  const lastModifiedHttp = new Date(lastModifiedMs).toUTCString();
  const format = feedFormatOf(entry.contentType);
  const xmlFeed = format === 'rss' || format === 'atom';
  const feed = format !== null;
  const available: AvailableVariants = freeze({
    br: document.br !== undefined,
    gzip: document.gzip !== undefined,
  });
  const negotiable = available.br || available.gzip;
  const vary = [
    ...(feed || servedAtFeedUrl ? ['Accept'] : []),
    ...(negotiable ? ['Accept-Encoding'] : []),
  ].join(', ');
  const policy: Record<string, string> = isHtml(entry.contentType)
    ? { 'Content-Security-Policy': csp }
    : { ...CORS_HEADERS };

  function codingPlan(coding: ContentCoding, body: Uint8Array): CodingPlan {
    const validatorHeaders: Record<string, string> = {
      ...BASE_HEADERS,
      ETag: etagFor(entry, coding),
      'Last-Modified': lastModifiedHttp,
      'Cache-Control': cacheControlFor(maxAgeSeconds, entry.immutable === true),
      ...(vary ? { Vary: vary } : {}),
      ...policy,
    };
    // Content-Length first: @hono/node-server scans header names until it finds it.
    const okHeaders = (contentType: string): Readonly<Record<string, string>> =>
      freeze({
        'Content-Length': String(body.byteLength),
        ...validatorHeaders,
        'Content-Type': contentType,
        ...(coding === 'identity' ? {} : { 'Content-Encoding': coding }),
      });
    const plain = okHeaders(entry.contentType);
    const browser = xmlFeed ? okHeaders(BROWSER_XML_TYPE) : plain;
    return freeze({
      get: freeze({ status: 200, headers: plain, body }),
      head: freeze({ status: 200, headers: plain, body: null }),
      browserGet: freeze({ status: 200, headers: browser, body }),
      browserHead: freeze({ status: 200, headers: browser, body: null }),
      notModified: freeze({ status: 304, headers: freeze(validatorHeaders), body: null }),
    });
  }

  return freeze({
    document,
    available,
    etags: new Set([entry.etag, etagFor(entry, 'gzip'), etagFor(entry, 'br')]),
    validators: freeze({
      etags: [entry.etag, etagFor(entry, 'gzip'), etagFor(entry, 'br')],
      lastModified: lastModifiedMs,
    }),
    lastModifiedHttp,
    xmlFeed,
    feed,
    identity: codingPlan('identity', document.body),
    gzip: document.gzip ? codingPlan('gzip', document.gzip) : null,
    br: document.br ? codingPlan('br', document.br) : null,
  });
}

export function createResponsePlanner(options: ResponsePlannerOptions): ResponsePlanner {
  const { maxAgeSeconds } = options;
  let csp: string | null = null;
  const ready = options.contentSecurityPolicy.then((value) => {
    csp = value;
  });
  // Keyed by the reader's document object: a new version is a new object, an evicted one is
  // collected with its plan.
  const plans = new WeakMap<PublishedDocument, ResponsePlan>();
  const previews = new WeakMap<PublishedDocument, ResponsePlan>();
  return {
    planForPreview(document) {
      const known = previews.get(document);
      if (known !== undefined) return known;
      if (csp === null) return null;
      const plan = buildPlan(document, maxAgeSeconds, csp, true);
      previews.set(document, plan);
      return plan;
    },
    planFor(document) {
      const known = plans.get(document);
      if (known !== undefined) return known;
      // Only HTML pages carry the CSP; feeds are planned at once.
      const pageCsp = isHtml(document.entry.contentType) ? csp : '';
      if (pageCsp === null) return null;
      const plan = buildPlan(document, maxAgeSeconds, pageCsp);
      plans.set(document, plan);
      return plan;
    },
    ready: () => ready,
  };
}

/** True when the request's validators say the client already has the current bytes. */
function notModified(plan: ResponsePlan, header: HeaderReader): boolean {
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch !== undefined) {
    // The common case, a client echoing the tag it was sent, is a Set hit; lists, W/ and `*`
    // take the full RFC 9110 evaluation.
    return plan.etags.has(ifNoneMatch) || isNotModified({ ifNoneMatch }, plan.validators);
  }
  const ifModifiedSince = header('if-modified-since');
  if (ifModifiedSince === undefined) return false;
  return ifModifiedSince === plan.lastModifiedHttp || isNotModified({ ifModifiedSince }, plan.validators);
}

/**
 * Picks the planned response for one GET/HEAD request. `preview`: for a feed, the plan of its
 * HTML preview at the feed's URL (planForPreview), answered instead when a browser navigates
 * there — conditional requests included, against the preview's own ETags; without one (a site
 * published before previews existed) RSS/Atom go out as application/xml for the XSL view.
 */
export function answerWithPlan(
  plan: ResponsePlan,
  head: boolean,
  header: HeaderReader,
  decisions: HeaderDecisions,
  preview: ResponsePlan | null = null,
): PlannedResponse {
  if (preview !== null && plan.feed && decisions.isBrowser(header('accept'))) {
    return answerWithPlan(preview, head, header, decisions);
  }
  const negotiable = plan.gzip !== null || plan.br !== null;
  const coding = negotiable
    ? chooseCoding(decisions.accepted(header('accept-encoding')), plan.available)
    : 'identity';
  const variant = (coding === 'br' ? plan.br : coding === 'gzip' ? plan.gzip : null) ?? plan.identity;
  if (notModified(plan, header)) return variant.notModified;
  const browser = plan.xmlFeed && decisions.isBrowser(header('accept'));
  if (browser) return head ? variant.browserHead : variant.browserGet;
  return head ? variant.head : variant.get;
}

/** A planned response as a Web Response (HEAD: no body, same headers). */
export function toResponse(planned: PlannedResponse, head: boolean): Response {
  const body = head ? null : (planned.body as Uint8Array<ArrayBuffer> | null);
  return new Response(body, { status: planned.status, headers: planned.headers });
}
