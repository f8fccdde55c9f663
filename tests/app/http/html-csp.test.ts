/**
 * Issue 24 item 7: every HTML response carries a Content-Security-Policy. The test publishes a
 * site (pages, tags, publishers, archives), then walks every route the manifest lists plus the
 * app's own routes (/status, /healthz, a 404, a 405, each method) and asserts the header on every
 * response whose Content-Type is HTML, and that the policy allows exactly the page's inline style.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app/create-app.ts';
import { createStorageReader } from '../../../src/app/published-reader.ts';
import { STATUS_STYLE } from '../../../src/app/routes/status-page.ts';
import type { SiteInfo } from '../../../src/core/model.ts';
import { PAGE_STYLE } from '../../../src/core/page-style.ts';
import { buildDocuments } from '../../../src/core/plan/build-documents.ts';
import { publishDocuments } from '../../../src/core/publish/publish.ts';
import { writeBuildStatus } from '../../../src/core/report/build-status.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { makeItems } from '../../core/syndicate/items.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const SITE: SiteInfo = {
  title: 'Kiosque',
  description: 'Test',
  baseUrl: 'https://news.example',
  language: 'fr',
  ttlMinutes: 15,
};

const hashOf = async (css: string): Promise<string> =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css))).toString('base64');

describe('Content-Security-Policy on every HTML response', () => {
  it('walks every published route and the app routes', async () => {
    const storage = createMemoryStorage();
    const clock = { now: () => new Date('2026-02-01T10:00:00Z') };
    const items = makeItems(7, (n) => ({ tags: n % 2 ? ['Climat'] : [], publisher: 'AFP' }));
    const docs = buildDocuments({ site: SITE, items, updated: items[0]?.updated ?? '' }, 3, {
      archivePageSize: 2,
      feedLimits: [2],
      hubs: [],
    });
    await publishDocuments(docs, { storage, clock, compressor: createNodeCompressor(), logger: silent });
    await writeBuildStatus(storage, {
      lastAttemptAt: '2026-02-01T10:00:00.000Z',
      lastSuccessAt: '2026-02-01T10:00:00.000Z',
      itemCount: 7,
      durationMs: 1,
      errors: [],
      warnings: 0,
    });
    const reader = createStorageReader(storage, { clock, logger: silent, refreshMs: 0 });
    await reader.reload();
    const app = createApp({ reader, logger: silent, maxAgeSeconds: 900 });

    const paths = [...docs.map((d) => d.path), '/status', '/healthz', '/nope', '/articles/nope'];
    const pageHash = await hashOf(PAGE_STYLE);
    const statusHash = await hashOf(STATUS_STYLE);
    let html = 0;
    for (const path of paths) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        for (const accept of ['*/*', 'text/html']) {
          const res = await app.request(path, { method, headers: { accept } });
          if (!/^text\/html\b/i.test(res.headers.get('content-type') ?? '')) continue;
          html++;
          const csp = res.headers.get('content-security-policy') ?? '';
          expect(csp, `${method} ${path}`).toContain("default-src 'none'");
          expect(csp, `${method} ${path}`).not.toContain('unsafe-inline');
          const hash = path === '/status' ? statusHash : pageHash;
          expect(csp, `${method} ${path}`).toContain(`style-src 'sha256-${hash}'`);
        }
      }
    }
    expect(html).toBeGreaterThan(20);
    const status = await app.request('/status');
    expect(status.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await status.text()).toContain(`<style>${STATUS_STYLE}</style>`);
  });
});
