import { describe, expect, it } from 'vitest';
import { createAcceptedCodingsCache } from '../../../src/app/http/negotiate-encoding.ts';
import {
  answerWithPlan,
  createResponsePlanner,
  type HeaderDecisions,
} from '../../../src/app/http/response-plan.ts';
import type { PublishedDocument } from '../../../src/app/published-reader.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const feed: PublishedDocument = {
  entry: {
    key: '_v/abc/feed.xml',
    contentType: 'application/rss+xml; charset=utf-8',
    etag: '"abc"',
    lastModified: '2024-05-01T10:00:00Z',
    size: 9,
  },
  body: bytes('<rss/>xyz'),
  gzip: bytes('gz'),
  br: bytes('b'),
};
const page: PublishedDocument = {
  entry: {
    key: '_v/def/index.html',
    contentType: 'text/html; charset=utf-8',
    etag: '"def"',
    lastModified: '2024-05-01T10:00:00Z',
    size: 4,
    immutable: true,
  },
  body: bytes('<p/>'),
};
const decisions: HeaderDecisions = {
  accepted: createAcceptedCodingsCache(),
  isBrowser: (a) => a === 'text/html',
};
const headersOf =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe('createResponsePlanner', () => {
  it('plans each document once; HTML pages only once the CSP is known', async () => {
    let resolveCsp: (value: string) => void = () => {};
    const planner = createResponsePlanner({
      maxAgeSeconds: 60,
      contentSecurityPolicy: new Promise((r) => {
        resolveCsp = r;
      }),
    });
    expect(planner.planFor(page)).toBeNull();
    resolveCsp("default-src 'none'");
    await planner.ready();
    const plan = planner.planFor(page);
    expect(plan).not.toBeNull();
    expect(planner.planFor(page)).toBe(plan);
    expect(plan?.identity.get.headers).toMatchObject({
      'Content-Security-Policy': "default-src 'none'",
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Last-Modified': 'Wed, 01 May 2024 10:00:00 GMT',
      'Content-Length': '4',
    });
    expect(plan?.identity.get.headers['Access-Control-Allow-Origin']).toBeUndefined();
    expect(plan?.identity.get.headers.Vary).toBeUndefined();
  });
});

describe('answerWithPlan', () => {
  const planner = createResponsePlanner({ maxAgeSeconds: 60, contentSecurityPolicy: Promise.resolve('x') });
  const plan = planner.planFor(feed);
  if (plan === null) throw new Error('feeds need no CSP');

  it('picks the coding, its body and its ETag; the browser view only changes Content-Type', () => {
    const br = answerWithPlan(plan, false, headersOf({ 'accept-encoding': 'gzip, br' }), decisions);
    expect(br.status).toBe(200);
    expect(br.body).toBe(feed.br);
    expect(br.headers).toMatchObject({ ETag: '"abc-br"', 'Content-Encoding': 'br', 'Content-Length': '1' });
    const gzipBrowser = answerWithPlan(
      plan,
      false,
      headersOf({ 'accept-encoding': 'gzip', accept: 'text/html' }),
      decisions,
    );
    expect(gzipBrowser.body).toBe(feed.gzip);
    expect(gzipBrowser.headers['Content-Type']).toBe('application/xml; charset=utf-8');
    expect(gzipBrowser.headers.Vary).toBe('Accept, Accept-Encoding');
    const identity = answerWithPlan(plan, false, headersOf({}), decisions);
    expect(identity.headers['Content-Encoding']).toBeUndefined();
    expect(identity.headers['Content-Type']).toBe('application/rss+xml; charset=utf-8');
  });

  it.each([
    [{ 'if-none-match': '"abc"' }, 304],
    [{ 'if-none-match': '"abc-br"' }, 304],
    [{ 'if-none-match': 'W/"abc-gzip"' }, 304],
    [{ 'if-none-match': '"zz", "abc"' }, 304],
    [{ 'if-none-match': '*' }, 304],
    [{ 'if-none-match': '"abd"' }, 200],
    [{ 'if-modified-since': 'Wed, 01 May 2024 10:00:00 GMT' }, 304],
    [{ 'if-modified-since': 'Thu, 02 May 2024 10:00:00 GMT' }, 304],
    [{ 'if-modified-since': 'Wed, 01 May 2024 09:59:59 GMT' }, 200],
    [{ 'if-none-match': '"stale"', 'if-modified-since': 'Thu, 02 May 2024 10:00:00 GMT' }, 200],
  ])('%j → %i', (headers, status) => {
    expect(answerWithPlan(plan, false, headersOf(headers), decisions).status).toBe(status);
  });

  it('a 304 carries the validators of the negotiated coding and no body or Content-*', () => {
    const res = answerWithPlan(
      plan,
      false,
      headersOf({ 'if-none-match': '"abc"', 'accept-encoding': 'gzip' }),
      decisions,
    );
    expect(res.status).toBe(304);
    expect(res.body).toBeNull();
    expect(res.headers.ETag).toBe('"abc-gzip"');
    expect(res.headers['Content-Length']).toBeUndefined();
    expect(res.headers['Content-Type']).toBeUndefined();
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
  });
});
