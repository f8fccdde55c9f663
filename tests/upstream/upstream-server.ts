/**
 * A local upstream web site for remote-source tests: a Hono app on 127.0.0.1, port 0, with named
 * scenarios (slow, 500, 429 + Retry-After, redirect loop, redirect to a private address, huge
 * body, wrong or missing charset, gzip/br/deflate, malformed feed, relative links, non-HTML
 * content, an item that disappears, the same article at two URLs). Every request is logged so
 * tests can assert what was asked (conditional headers, User-Agent, politeness).
 *
 * Test-only: never listens anywhere but loopback.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import iconv from 'iconv-lite';

export interface LoggedRequest {
  readonly path: string;
  /** When the request arrived, by `UpstreamServer.now` (wall clock unless a test injects one). */
  readonly at: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface UpstreamServer {
  readonly url: string;
  readonly port: number;
  readonly requests: LoggedRequest[];
  hits(path: string): number;
  /** Items of /feeds/news.xml that are currently listed (ids one..four). */
  readonly listed: Set<string>;
  /** Paths that currently answer 500. */
  broken: Set<string>;
  /** Paths that currently answer 429 with `Retry-After: 3600`. */
  readonly limited: Set<string>;
  /** The clock `requests[].at` is read from; a test may swap in its own (and restore it). */
  now: () => number;
  close(): Promise<void>;
}

const PARAGRAPHS: Record<string, string[]> = {
  one: [
    "Le conseil municipal a voté mardi soir le budget de l'année prochaine, après un débat de plus de quatre heures sur les investissements dans les écoles et les transports.",
    'Les élus de l’opposition ont dénoncé une hausse des impôts locaux qui pèsera selon eux sur les familles les plus modestes de la commune, déjà touchées par la hausse des prix.',
    'Le maire a défendu un budget « responsable » qui permet de rénover trois groupes scolaires et de financer une nouvelle ligne de bus entre la gare et le quartier nord.',
  ],
  two: [
    'La saison des vendanges a commencé plus tôt que prévu dans la vallée, où les viticulteurs se disent satisfaits de la qualité du raisin malgré la sécheresse de l’été.',
    'Les coopératives prévoient une récolte en légère baisse, mais les premiers degrés mesurés laissent espérer un millésime de belle qualité pour les vins rouges et blancs.',
    'Les saisonniers sont cette année plus nombreux à venir de la région, grâce à un dispositif de logement mis en place par la chambre d’agriculture et les communes voisines.',
  ],
  three: [
    'La bibliothèque municipale rouvre ses portes après huit mois de travaux, avec un espace numérique, une salle de lecture agrandie et des horaires élargis le samedi.',
    'Les habitants pourront emprunter jusqu’à quinze documents à la fois, et un service de portage à domicile est proposé aux personnes âgées qui ne peuvent plus se déplacer.',
    'La directrice espère attirer un public plus jeune grâce à des ateliers de bande dessinée et de programmation organisés chaque mercredi après-midi pendant les vacances.',
  ],
  four: [
    'Le club de football local a remporté dimanche son troisième match consécutif, une série qui lui permet de prendre la tête du championnat régional à mi-saison.',
    'L’entraîneur a salué la solidité de sa défense, qui n’a encaissé aucun but depuis un mois, et l’arrivée de deux jeunes joueurs formés au club depuis leur enfance.',
    'Le prochain match se jouera à domicile contre le deuxième du classement, et les dirigeants attendent plus de mille spectateurs dans un stade rénové cet été.',
  ],
  accents: [
    'Élodie a présenté à la mairie un projet de café associatif où l’on pourra réparer ses vêtements, ses vélos et ses appareils électriques avec l’aide de bénévoles.',
    'Le « Repair café » ouvrira ses portes en février ; l’équipe espère accueillir une centaine de visiteurs chaque mois et réduire les déchets de la commune.',
    'Les œuvres d’art réalisées à partir d’objets récupérés seront exposées à l’entrée, à côté d’un coin lecture où l’on trouvera des revues consacrées au réemploi.',
  ],
};

const TITLES: Record<string, string> = {
  one: 'Le budget municipal voté après quatre heures de débat',
  two: 'Des vendanges précoces mais prometteuses',
  three: 'La bibliothèque rouvre ses portes',
  four: 'Le club de football prend la tête du championnat',
  accents: 'Un café associatif pour réparer plutôt que jeter',
};

/** An article page with site chrome around the story. */
export function articlePage(
  id: string,
  options: { charset?: string; canonical?: string; meta?: boolean } = {},
): string {
  const paragraphs = PARAGRAPHS[id] ?? PARAGRAPHS.one ?? [];
  const title = TITLES[id] ?? 'Article';
  const charsetMeta = options.meta === false ? '' : `<meta charset="${options.charset ?? 'utf-8'}">`;
  const canonical = options.canonical ? `<link rel="canonical" href="${options.canonical}">` : '';
  return `<!doctype html><html lang="fr"><head>${charsetMeta}<title>${title} – La Gazette</title>${canonical}</head>
<body><header><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav></header>
<main><article><h1>${title}</h1><p class="byline">Par Claire Martin</p>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
<img src="/images/${id}.jpg" alt=""></article></main>
<footer><p>© La Gazette – Tous droits réservés</p></footer></body></html>`;
}

function rssFeed(base: string, ids: readonly string[], options: { relative?: boolean } = {}): string {
  const items = ids
    .map((id, index) => {
      const link = options.relative
        ? `/articles/${id}`
        : `${base}/articles/${id}?utm_source=rss&utm_medium=feed`;
      return `<item><title>${TITLES[id]}</title><link>${link}</link><guid isPermaLink="false">gazette-${id}</guid>
<pubDate>${new Date(Date.UTC(2024, 0, 10 - index, 8)).toUTCString()}</pubDate><category>local</category>
<description>${(PARAGRAPHS[id]?.[0] ?? '').slice(0, 80)}</description></item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>La Gazette</title>
<link>${options.relative ? '/' : `${base}/`}</link><description>Nouvelles locales</description>${items}</channel></rss>`;
}

export async function startUpstream(): Promise<UpstreamServer> {
  const requests: LoggedRequest[] = [];
  const counters = new Map<string, number>();
  const listed = new Set(['one', 'two', 'three', 'four']);
  const broken = new Set<string>();
  const limited = new Set<string>();
  const clock = { now: (): number => Date.now() };
  let base = '';
  const app = new Hono();

  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    counters.set(path, (counters.get(path) ?? 0) + 1);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => {
      headers[k] = v;
    });
    requests.push({ path, at: clock.now(), headers });
    if (broken.has(path)) return c.text('Internal Server Error', 500);
    if (limited.has(path)) return c.text('Too Many Requests', 429, { 'retry-after': '3600' });
    await next();
    return undefined;
  });
  const hits = (path: string) => counters.get(path) ?? 0;

  // Articles with validators: ETag per body, 304 on If-None-Match.
  app.get('/articles/:id', (c) => {
    const id = c.req.param('id');
    if (!PARAGRAPHS[id]) return c.text('Not Found', 404);
    const etag = `"${id}-v1"`;
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
    return c.html(articlePage(id, { canonical: `${base}/articles/${id}` }), 200, {
      etag,
      'last-modified': 'Wed, 10 Jan 2024 08:00:00 GMT',
    });
  });
  // The same story under a second URL (AMP-style), declaring the first as canonical.
  app.get('/amp/:id', (c) =>
    c.html(articlePage(c.req.param('id'), { canonical: `${base}/articles/${c.req.param('id')}` })),
  );
  // The same story under a second URL with no canonical link at all (re-scrape, syndication).
  app.get('/copy/:id', (c) => c.html(articlePage(c.req.param('id'))));

  app.get('/feeds/news.xml', (c) => {
    const body = rssFeed(
      base,
      ['one', 'two', 'three', 'four'].filter((id) => listed.has(id)),
    );
    return c.body(body, 200, { 'content-type': 'application/rss+xml; charset=utf-8' });
  });
  app.get('/feeds/relative.xml', (c) =>
    c.body(rssFeed(base, ['one', 'two'], { relative: true }), 200, { 'content-type': 'application/rss+xml' }),
  );
  app.get('/feeds/atom-base.xml', (c) =>
    c.body(
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="${base}/articles/"><title>Atom</title><id>urn:x</id><updated>2024-01-10T08:00:00Z</updated>
<entry><title>${TITLES.three}</title><id>urn:three</id><link href="three"/><updated>2024-01-10T08:00:00Z</updated></entry></feed>`,
      200,
      { 'content-type': 'application/atom+xml' },
    ),
  );
  app.get('/feeds/two-urls.xml', (c) =>
    c.body(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>${base}/</link>
<item><title>${TITLES.one}</title><link>${base}/articles/one</link></item>
<item><title>${TITLES.one}</title><link>${base}/amp/one?xtor=RSS-1</link></item>
<item><title>${TITLES.one}</title><link>${base}/articles/one?utm_campaign=x#top</link></item>
<item><title>${TITLES.two}</title><link>${base}/articles/two</link></item>
<item><title>${TITLES.two}</title><link>${base}/copy/two</link></item></channel></rss>`,
      200,
      { 'content-type': 'application/rss+xml' },
    ),
  );
  app.get('/feeds/json.json', (c) =>
    c.json({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON',
      home_page_url: `${base}/`,
      items: [{ id: '1', url: 'articles/four', title: TITLES.four, date_published: '2024-01-09T08:00:00Z' }],
    }),
  );
  app.get('/feeds/malformed.xml', (c) =>
    c.body('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</ti', 200, {
      'content-type': 'application/rss+xml',
    }),
  );
  app.get('/feeds/not-a-feed', (c) => c.html('<html><body><p>Nothing to see</p></body></html>'));
  app.get('/feeds/with-pdf.xml', (c) =>
    c.body(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>${base}/</link>
<item><title>Rapport</title><link>${base}/files/report.pdf</link></item>
<item><title>Avec contenu</title><link>${base}/files/report2.pdf</link><description>d</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[${(PARAGRAPHS.three ?? []).map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>
</channel></rss>`,
      200,
      { 'content-type': 'application/rss+xml' },
    ),
  );

  // Faults.
  app.get('/slow', async (c) => {
    await new Promise((r) => setTimeout(r, Number(c.req.query('ms') ?? 3000)));
    return c.html(articlePage('one'));
  });
  app.get('/slow-body', (c) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('<!doctype html><html><body><p>'));
        // …and nothing more for a long while.
        timer = setTimeout(() => {
          try {
            controller.close();
          } catch {
            // Already cancelled by a client that gave up: nothing to close.
          }
        }, 5000);
      },
      // The client gave up (bodyTimeoutMs): closing later would throw on a cancelled stream.
      cancel() {
        clearTimeout(timer);
      },
    });
    return c.body(stream, 200, { 'content-type': 'text/html' });
  });
  app.get('/status/500', (c) => c.text('boom', 500));
  app.get('/flaky', (c) => (hits('/flaky') <= 2 ? c.text('try again', 503) : c.html(articlePage('one'))));
  app.get('/rate-limited', (c) =>
    hits('/rate-limited') === 1
      ? c.text('slow down', 429, { 'retry-after': '1' })
      : c.html(articlePage('two')),
  );
  app.get('/rate-limited-long', (c) => c.text('come back in an hour', 429, { 'retry-after': '3600' }));
  app.get('/loop/a', (c) => c.redirect('/loop/b', 302));
  app.get('/loop/b', (c) => c.redirect('/loop/a', 302));
  app.get('/chain/:n', (c) => {
    const n = Number(c.req.param('n'));
    return n <= 0 ? c.redirect('/articles/three', 301) : c.redirect(`/chain/${n - 1}`, 302);
  });
  app.get('/moved/:id', (c) => c.redirect(`/articles/${c.req.param('id')}`, 301));
  app.get('/redirect-private', (c) =>
    c.redirect(`http://intranet.test:${new URL(base).port}/articles/one`, 302),
  );
  app.get('/redirect-metadata', (c) => c.redirect('http://169.254.169.254/latest/meta-data/', 302));
  app.get('/redirect-file', (c) => c.redirect('file:///etc/passwd', 302));
  app.get('/huge', (c) => {
    const chunk = new TextEncoder().encode(`<p>${'x'.repeat(1020)}</p>`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20 * 1024 * 1024) {
          controller.close();
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    return c.body(stream, 200, { 'content-type': 'text/html' });
  });
  app.get('/huge-declared', (c) =>
    c.body(new Uint8Array(3 * 1024 * 1024).fill(0x20), 200, { 'content-type': 'text/html' }),
  );
  app.get('/bomb', (c) =>
    c.body(gzipSync(new Uint8Array(50 * 1024 * 1024).fill(0x20)), 200, {
      'content-type': 'text/html',
      'content-encoding': 'gzip',
    }),
  );

  // Encodings.
  const latin1 = (html: string) => new Uint8Array(iconv.encode(html, 'windows-1252'));
  app.get('/charset/header', (c) =>
    c.body(latin1(articlePage('accents', { meta: false })), 200, {
      'content-type': 'text/html; charset=windows-1252',
    }),
  );
  app.get('/charset/meta', (c) =>
    c.body(latin1(articlePage('accents', { charset: 'iso-8859-1' })), 200, { 'content-type': 'text/html' }),
  );
  app.get('/charset/wrong', (c) =>
    c.body(latin1(articlePage('accents', { meta: false })), 200, {
      'content-type': 'text/html; charset=utf-8',
    }),
  );
  app.get('/charset/missing', (c) =>
    c.body(latin1(articlePage('accents', { meta: false })), 200, { 'content-type': 'text/html' }),
  );
  app.get('/charset/bom', (c) =>
    c.body(
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...new TextEncoder().encode(articlePage('accents', { charset: 'windows-1252' })),
      ]),
      200,
      {
        'content-type': 'text/html',
      },
    ),
  );
  app.get('/feeds/latin1.xml', (c) =>
    c.body(
      latin1(
        `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Région</title><link>${base}/</link><item><title>${TITLES.accents}</title><link>${base}/charset/header</link></item></channel></rss>`,
      ),
      200,
      { 'content-type': 'application/xml' },
    ),
  );
  app.get('/encoded/:coding', (c) => {
    const html = new TextEncoder().encode(articlePage('four'));
    const coding = c.req.param('coding');
    const body =
      coding === 'gzip' ? gzipSync(html) : coding === 'br' ? brotliCompressSync(html) : deflateSync(html);
    return c.body(new Uint8Array(body), 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-encoding': coding,
    });
  });

  // Non-HTML.
  app.get('/files/:name', (c) =>
    c.body(new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), 200, {
      'content-type': 'application/pdf',
    }),
  );

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    requests,
    hits,
    listed,
    broken,
    limited,
    get now() {
      return clock.now;
    },
    set now(now: () => number) {
      clock.now = now;
    },
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
