/**
 * The request fast path, tried before the router: (method, request target, header reader,
 * client key) → a planned response for a published document, or null ("let the router answer").
 * It answers only what is cheap and unambiguous: GET/HEAD of a plain path (no query, no
 * percent-escape, no fragment) whose verified bytes the reader already holds under a fresh
 * manifest. Everything else — `?limit`, 404, 405, OPTIONS, 503, /healthz, a document still to
 * load — falls through to the Hono router, which gives the same answers for the same document
 * (both use the same response plans, http/response-plan.ts).
 *
 * Per request: a regex test on the target, a Map hit in the reader, a WeakMap hit for the plan,
 * one rate-limit bucket hit, and one or two header reads; no promise, no Request/Headers
 * objects, nothing formatted or merged. The rate limit stays on: the same limiter as the
 * router's, so a client has one bucket.
 *
 * Must not: do anything asynchronous, allocate per-request structures beyond the header reader,
 * or serve a path the router would resolve differently (hence the plain-path rule).
 * Tunables: none (see response-plan.ts, rate-limit.ts).
 */
import { feedPreviewPathOf } from '../core/render/feed-links.ts';
import { tooManyRequestsParts } from './http/plain-response.ts';
import {
  answerWithPlan,
  type HeaderDecisions,
  type HeaderReader,
  type PlannedResponse,
  type ResponsePlan,
  type ResponsePlanner,
} from './http/response-plan.ts';
import type { RateLimiter } from './middleware/rate-limit.ts';
import type { PublishedReader } from './published-reader.ts';

/**
 * `target` is the request target as sent (`/feed.xml`, `/feed.xml?limit=10`); `clientKey` the
 * rate-limit key of the client (undefined: not limited, as in the router).
 */
export type FastPath = (
  method: string,
  target: string,
  header: HeaderReader,
  clientKey: string | undefined,
) => PlannedResponse | null;

export interface FastPathOptions {
  readonly reader: PublishedReader;
  readonly planner: ResponsePlanner;
  readonly decisions: HeaderDecisions;
  readonly limiter: RateLimiter | null;
}

/** Starts with `/` and holds no query, fragment or escape: the router would see it unchanged. */
const PLAIN_PATH = /^\/[^?#%]*$/;

const never: FastPath = () => null;

export function createFastPath(options: FastPathOptions): FastPath {
  const { reader, planner, decisions, limiter } = options;
  if (reader.peek === undefined) return never;
  const peek = reader.peek.bind(reader);
  return (method, target, header, clientKey) => {
    const head = method === 'HEAD';
    if (!head && method !== 'GET') return null;
    if (!PLAIN_PATH.test(target)) return null;
    const document = peek(target);
    if (document === null) return null;
    const plan = planner.planFor(document);
    if (plan === null) return null;
    // A browser opening a feed gets its preview: answered here only if already held.
    let preview: ResponsePlan | null = null;
    if (plan.feed && decisions.isBrowser(header('accept'))) {
      const previewPath = feedPreviewPathOf(target);
      const previewDocument = previewPath === null ? null : peek(previewPath);
      preview = previewDocument === null ? null : planner.planForPreview(previewDocument);
      if (preview === null) return null;
    }
    // After the lookups (which have no effects), so a request the router answers is counted once.
    if (limiter !== null) {
      const retryAfter = limiter.take(clientKey);
      if (retryAfter > 0) return tooManyRequestsParts(target, retryAfter);
    }
    return answerWithPlan(plan, head, header, decisions, preview);
  };
}
