/**
 * The generic document route: request path (+ `?limit`) → manifest entry → the precomputed
 * bytes in the negotiated coding, with ETag, Last-Modified, Cache-Control, Vary, CORS/CSP and
 * Content-Length, or a 304.
 *
 * The headers, codings, validators and 304 rules are those of the document's response plan
 * (http/response-plan.ts), shared with the request fast path (fast-path.ts), which answers
 * most feed requests before the router; this route handles the rest (first load, `?limit`,
 * escaped paths, 404/405/503).
 *
 * `?limit=N` on a feed is resolved by lookup only (core/syndicate/limit-query.ts): the exact
 * published variant is served, another N is redirected (302) to the nearest published one,
 * a malformed N is a 400. The variant's route includes the query, so each has its own ETag,
 * and shared caches key it by the full URL. A browser navigating to a feed gets the feed's
 * published HTML preview (`…/feed.html`, its own bytes and ETag; http/browser-view.ts decides,
 * `Vary: Accept`); readers keep the feed's media type and bytes.
 *
 * Must not: hash, compress, render or read storage directly (the reader did all of that once).
 * Tunables: `maxAgeSeconds` and `feedLimits` come from createApp's deps; response-policy.ts.
 */
import type { Context } from 'hono';
import { feedFormatOf } from '../../core/render/feed-formats.ts';
import { feedPreviewPathOf } from '../../core/render/feed-links.ts';
import { limitVariantPath, nearestLimit, parseLimitQuery } from '../../core/syndicate/limit-query.ts';
import type { Logger } from '../../ports/logger.ts';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  preflight,
  redirect,
  unavailable,
} from '../http/plain-response.ts';
import {
  answerWithPlan,
  type HeaderDecisions,
  type ResponsePlan,
  type ResponsePlanner,
  toResponse,
} from '../http/response-plan.ts';
import { cacheControlFor } from '../http/response-policy.ts';
import type { PublishedDocument, PublishedReader } from '../published-reader.ts';

export interface ServePublishedOptions {
  readonly reader: PublishedReader;
  readonly planner: ResponsePlanner;
  readonly decisions: HeaderDecisions;
  readonly maxAgeSeconds: number;
  /** The `?limit` values the build publishes (config `feedLimits`). */
  readonly feedLimits: readonly number[];
  readonly logger?: Logger | undefined;
}

type Resolution =
  | { readonly kind: 'document'; readonly document: PublishedDocument }
  | { readonly kind: 'response'; readonly response: Response };

export function servePublished(options: ServePublishedOptions): (c: Context) => Promise<Response> {
  const { reader, planner, decisions, maxAgeSeconds, feedLimits, logger } = options;

  /** Maps `?limit` onto a published variant (or a redirect/400); other queries are ignored. */
  async function resolve(path: string, url: string, base: PublishedDocument): Promise<Resolution> {
    if (feedFormatOf(base.entry.contentType) === null || !url.includes('?')) {
      return { kind: 'document', document: base };
    }
    const limit = parseLimitQuery(new URL(url).search);
    if (limit.kind === 'none') return { kind: 'document', document: base };
    if (limit.kind === 'invalid') return { kind: 'response', response: badRequest(path, limit.message) };
    // Each lookup hits the shard of `path` (limit variants sit in the shard of their feed's family).
    const entries = await Promise.all(feedLimits.map((l) => reader.entry(limitVariantPath(path, l))));
    const published = feedLimits.filter((_, index) => entries[index] !== null);
    if (limit.canonical && published.includes(limit.value)) {
      const variant = await reader.document(limitVariantPath(path, limit.value));
      if (variant !== null) return { kind: 'document', document: variant };
    }
    const target = nearestLimit(limit.value, published);
    const location = target === null ? path : limitVariantPath(path, target);
    return { kind: 'response', response: redirect(path, location, cacheControlFor(maxAgeSeconds, false)) };
  }

  /** The plan of the HTML preview of the feed at `path`, or null (none published, or unreadable). */
  async function previewPlan(path: string): Promise<ResponsePlan | null> {
    const previewPath = feedPreviewPathOf(path);
    if (previewPath === null) return null;
    try {
      const document = await reader.document(previewPath);
      if (document === null) return null;
      let plan = planner.planForPreview(document);
      if (plan === null) {
        await planner.ready();
        plan = planner.planForPreview(document);
      }
      return plan;
    } catch (error) {
      logger?.error('could not read a feed preview', { path: previewPath, error: (error as Error).message });
      return null;
    }
  }

  return async (c) => {
    const path = c.req.path;
    const method = c.req.method;
    if (method === 'OPTIONS') return preflight();
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(path);

    let resolution: Resolution;
    try {
      if ((await reader.manifest()) === null) return unavailable(path, 'Nothing has been published yet');
      const base = await reader.document(path);
      if (base === null) return notFound(path);
      resolution = await resolve(path, c.req.url, base);
    } catch (error) {
      logger?.error('could not read a published document', { path, error: (error as Error).message });
      return unavailable(path, 'The published version is being updated; retry shortly');
    }
    if (resolution.kind === 'response') return resolution.response;

    let plan = planner.planFor(resolution.document);
    if (plan === null) {
      await planner.ready();
      plan = planner.planFor(resolution.document);
    }
    if (plan === null) throw new Error(`no response plan for ${path}`);
    const preview = plan.feed && decisions.isBrowser(c.req.header('accept')) ? await previewPlan(path) : null;
    // HEAD: Hono also turns the response into a bodiless one and keeps these headers.
    const head = method === 'HEAD';
    return toResponse(
      answerWithPlan(plan, head, (name) => c.req.header(name), decisions, preview),
      head,
    );
  };
}
