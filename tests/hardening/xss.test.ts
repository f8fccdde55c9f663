import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { sanitiseHtml } from '../../src/core/clean/sanitise-html.ts';
import { type BuildReport, regenerate } from '../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Storage } from '../../src/ports/storage.ts';
import { type Finding, inspectFragment, inspectPage } from './xss-inspect.ts';

const CORPUS = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/hostile/xss-payloads.json'), 'utf8'),
) as { payloads: string[] };
const PAYLOADS = CORPUS.payloads;
const SEED = readFileSync(join(import.meta.dirname, '../../content/002_b507b94e37f33e6f.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(1, 6);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const decode = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

/** A realistic article page with the payload in the title, the metadata, and twice in the body. */
function hostilePage(payload: string, n: number): string {
  const paragraphs = SEED.map((text, k) => `<p>${text} (article ${n}, paragraphe ${k}).</p>`);
  return `<!doctype html><html><head><title>Article piégé ${n} ${payload}</title>
<meta property="og:url" content="javascript:alert(${n})">
<link rel="canonical" href="https://origin.example/articles/${n}">
</head><body><nav><a href="/">Accueil</a></nav><article><h1>Article piégé numéro ${n}</h1>
${paragraphs.slice(0, 2).join('\n')}
<p>Avant la charge ${payload} après la charge, phrase ${n} qui continue normalement.</p>
${payload}
${paragraphs.slice(2).join('\n')}
</article><footer>Pied de page</footer></body></html>`;
}

describe(`hostile HTML: ${PAYLOADS.length} payloads`, () => {
  it('has a corpus of at least 100 distinct payloads', () => {
    expect(new Set(PAYLOADS).size).toBe(PAYLOADS.length);
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
  });

  it('sanitiseHtml leaves nothing executable for any payload, alone or wrapped', () => {
    const findings: Finding[] = [];
    for (const [n, payload] of PAYLOADS.entries()) {
      findings.push(...inspectFragment(sanitiseHtml(payload), `payload ${n} alone`));
      findings.push(...inspectFragment(sanitiseHtml(`<p>a ${payload} b</p>`), `payload ${n} in <p>`));
      findings.push(
        ...inspectFragment(
          sanitiseHtml(`<a href="https://ok.example/">${payload}</a>`),
          `payload ${n} in <a>`,
        ),
      );
    }
    expect(findings).toEqual([]);
  });

  it('keeps harmless markup and safe links (the sanitiser is not a blanket delete)', () => {
    expect(sanitiseHtml('<p>Un <a href="https://ok.example/x?a=1&amp;b=2">lien</a> <em>sûr</em></p>')).toBe(
      '<p>Un <a href="https://ok.example/x?a=1&amp;b=2">lien</a> <em>sûr</em></p>',
    );
    expect(sanitiseHtml('<img src="https://ok.example/a.png" alt="photo">')).toBe(
      '<img src="https://ok.example/a.png" alt="photo">',
    );
  });

  describe('through the HTML load path: parse → clean → normalise → render → publish', () => {
    let published: Storage;
    let report: BuildReport;

    beforeAll(async () => {
      const content = createMemoryStorage();
      for (const [n, payload] of PAYLOADS.entries()) {
        // One source folder each: no payload article is mistaken for another's repeated chrome.
        const folder = `p${String(n).padStart(3, '0')}`;
        await content.put(`${folder}/article.html`, new TextEncoder().encode(hostilePage(payload, n)));
      }
      published = createMemoryStorage();
      report = await regenerate(
        {
          content,
          published,
          state: createMemoryStorage(),
          clock: { now: () => new Date('2026-02-01T12:00:00Z') },
          logger: silent,
          compressor: { gzip: async () => new Uint8Array(), brotli: async () => null },
        },
        {
          site: {
            title: 'XSS',
            description: 'Hostile',
            baseUrl: 'https://xss.example',
            language: 'fr',
            ttlMinutes: 15,
          },
          feedSize: PAYLOADS.length + 10,
        },
      );
    }, 120_000);

    it('publishes the hostile articles as articles', () => {
      expect(report.ok).toBe(true);
      // A payload may take its paragraph down with it; the articles themselves stay.
      expect(report.itemCount).toBeGreaterThanOrEqual(Math.floor(PAYLOADS.length * 0.9));
    });

    it('no published HTML page carries anything executable', async () => {
      const manifest = (await loadManifest(published)) ?? { documents: {} };
      const findings: Finding[] = [];
      let pages = 0;
      for (const [path, entry] of Object.entries(manifest.documents)) {
        if (!entry.contentType.startsWith('text/html')) continue;
        pages++;
        findings.push(...inspectPage(decode((await published.get(entry.key))?.body), path));
      }
      expect(pages).toBeGreaterThanOrEqual(report.itemCount);
      expect(findings).toEqual([]);
    });

    it('content_html (JSON Feed) and RSS descriptions carry nothing executable', async () => {
      const json = JSON.parse(decode((await published.get('feed.json'))?.body)) as {
        items: { content_html?: string; url?: string; external_url?: string }[];
      };
      const findings: Finding[] = [];
      for (const [k, item] of json.items.entries()) {
        findings.push(...inspectFragment(item.content_html ?? '', `feed.json item ${k}`));
        for (const url of [item.url, item.external_url]) {
          if (url !== undefined && !/^https?:\/\//.test(url))
            findings.push({ where: `item ${k}`, what: url });
        }
      }
      const rss = new XMLParser({ processEntities: true, htmlEntities: true }).parse(
        decode((await published.get('feed.xml'))?.body),
      ) as { rss: { channel: { item: { description?: string; link?: string }[] } } };
      for (const [k, item] of rss.rss.channel.item.entries()) {
        findings.push(...inspectFragment(String(item.description ?? ''), `feed.xml item ${k}`));
        if (!/^https?:\/\//.test(item.link ?? ''))
          findings.push({ where: `feed.xml item ${k}`, what: String(item.link) });
      }
      expect(json.items.length).toBe(report.itemCount);
      expect(findings).toEqual([]);
    });
  });
});
