import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app/create-app.ts';
import type { PublishedReader } from '../../../src/app/published-reader.ts';
import { renderStatusPage } from '../../../src/app/routes/status-page.ts';
import type { BuildStatus } from '../../../src/core/report/build-status.ts';

const STATUS: BuildStatus = {
  lastAttemptAt: '2026-01-10T12:00:00.000Z',
  lastSuccessAt: '2026-01-10T12:00:00.000Z',
  itemCount: 4,
  durationMs: 812,
  errors: [{ source: 'https://x.example/<b>', message: 'HTTP 500 <script>' }],
  warnings: 0,
  report: {
    added: 3,
    updated: 1,
    unchanged: 0,
    failed: 1,
    retained: [{ sourceId: 'https://x.example/two', reason: 'no longer listed upstream' }],
    duplicates: 2,
    cleanReused: 1,
    cleaned: 3,
    timings: { collectMs: 700, cleanMs: 90, publishMs: 20 },
    sources: [
      {
        name: 'gazette',
        type: 'feed',
        url: 'https://x.example/rss',
        status: 'fetched',
        entries: 4,
        items: 4,
        failedItems: 0,
        ms: 650,
      },
      {
        name: 'broken',
        type: 'feed',
        url: 'https://y.example/rss',
        status: 'failed',
        entries: 0,
        items: 0,
        failedItems: 0,
        ms: 5,
        error: 'HTTP 500',
      },
    ],
  },
};

function reader(status: BuildStatus | null): PublishedReader {
  return {
    document: async () => null,
    entry: async () => null,
    manifest: async () => null,
    status: async () => status,
  };
}

describe('/status', () => {
  it('renders the last run as HTML, escaping upstream text', () => {
    const html = renderStatusPage(STATUS);
    expect(html).toContain('<th scope="row">Added / updated / unchanged</th><td>3 / 1 / 0</td>');
    expect(html).toContain('<td><a href="https://x.example/rss" rel="noreferrer">gazette</a></td>');
    expect(html).toContain('<tr class="failed">');
    expect(html).toContain('<code>https://x.example/two</code>: no longer listed upstream');
    expect(html).toContain('HTTP 500 &lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('is served by the app, never cached; /healthz carries the same summary as JSON', async () => {
    const app = createApp({ reader: reader(STATUS) });
    const page = await app.request('/status');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('kiosque — Site status');
    const health = (await (await app.request('/healthz')).json()) as { build: BuildStatus };
    expect(health.build.report?.sources[1]).toMatchObject({ name: 'broken', status: 'failed' });
    expect((await app.request('/status', { method: 'POST' })).status).toBe(405);
  });

  it('says when nothing was built yet', () => {
    expect(renderStatusPage(null)).toContain('nothing published yet');
  });
});

describe('/status client address', () => {
  it('shows the requester its address as the rate limit keys it', async () => {
    const app = createApp({
      reader: reader(STATUS),
      rateLimit: {
        requests: 10,
        windowSeconds: 60,
        keyOf: (request) => request.headers.get('x-test-client') ?? undefined,
      },
    });
    const html = await (
      await app.request('/status', { headers: { 'x-test-client': '198.51.100.<7>' } })
    ).text();
    expect(html).toContain('<th scope="row">Your address (rate-limit key)</th><td>198.51.100.&lt;7&gt;</td>');
    expect(await (await createApp({ reader: reader(STATUS) }).request('/status')).text()).not.toContain(
      'Your address',
    );
  });
});

describe('/status for people', () => {
  it('names each item held back, flagged or warned (file, title, rule, why), the last runs, links home and to the feeds, in the site language', () => {
    const html = renderStatusPage({
      lastAttemptAt: '2026-12-07T10:00:00Z',
      lastSuccessAt: '2026-12-07T10:00:00Z',
      itemCount: 1234,
      durationMs: 1500,
      errors: [],
      warnings: 1,
      flagged: [
        {
          source: 'content/004.txt',
          code: 'machine-translation-artefact',
          message: "machine-translation artefact 'XNUMX' found in the text",
          heldBack: false,
          title: 'L’OTAN <n’enverra> pas',
        },
        { source: 'content/009.txt', code: 'kept-nothing', message: 'kept nothing', heldBack: true },
      ],
      runs: [
        { startedAt: '2026-12-07T10:00:00Z', durationMs: 1500, ok: true, items: 1234 },
        { startedAt: '2026-12-07T09:45:00Z', durationMs: 900, ok: false, items: 1233 },
      ],
      site: { title: 'Kiosque', language: 'fr-CA', home: 'https://news.example/' },
    });
    expect(html).toContain('<html lang="fr-CA">');
    expect(html).toContain('<h1>État du site — Kiosque</h1>');
    expect(html).toContain('<a href="https://news.example/">← Accueil</a>');
    expect(html).toContain('<a href="https://news.example/feed.xml">RSS</a>');
    expect(html).toContain('<code>content/004.txt</code>');
    expect(html).toContain('L’OTAN &lt;n’enverra&gt; pas');
    expect(html).toContain('<code>machine-translation-artefact</code>');
    expect(html).toContain('publié, signalé');
    expect(html).toContain('retenu (non publié)');
    expect(html).toMatch(/1[\u00a0\u202f]234/);
    expect(html).toMatch(/1[\u00a0\u202f]500 ms/);
    expect(html).toContain('7 décembre 2026');
    expect(html).toContain('échec');
    expect(html).not.toMatch(/<script|\sstyle=/);
  });
});

describe('/status remote sources', () => {
  it('heads and fills the source table in the site language, with its numbers and dates', () => {
    const deferred = {
      name: 'lente',
      type: 'feed' as const,
      url: 'https://z.example/rss',
      status: 'deferred' as const,
      entries: 1200,
      items: 0,
      failedItems: 0,
      ms: 1500,
      deferredUntil: '2026-12-07T10:30:00Z',
    };
    const base = STATUS.report as NonNullable<BuildStatus['report']>;
    const site = { title: 'Le Site', home: 'https://news.example/', language: 'fr' };
    const status: BuildStatus = {
      ...STATUS,
      site,
      report: { ...base, sources: [...base.sources, deferred] },
    };
    const fr = renderStatusPage(status);
    expect(fr).toContain(
      '<tr><th>Source</th><th>Type</th><th>Résultat</th><th>Entrées</th><th>Articles</th><th>Échecs</th><th>Durée</th><th>Erreur</th></tr>',
    );
    expect(fr).toContain('<td>récupérée</td>');
    expect(fr).toContain('<td>échec</td>');
    expect(fr).toMatch(/<td>1\s200<\/td>/u);
    expect(fr).toMatch(/<td>1\s500 ms<\/td>/u);
    expect(fr).toContain('reportée jusqu’au 7 décembre 2026');
    expect(fr).not.toMatch(/<th>(Name|Status|Entries|Failed|Error)<\/th>/);
    const en = renderStatusPage({ ...status, site: { ...site, language: 'en' } });
    expect(en).toContain('<th>Source</th><th>Type</th><th>Outcome</th>');
    expect(en).toContain('deferred until December 7, 2026');
  });
});
