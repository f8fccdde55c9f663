/**
 * `/status`: the stored build status (status.json, with the run summary of issue 5) → a small
 * HTML page for humans, in the site's language (i18n tables): links home and to the feeds, last
 * attempt and success, item count, added / updated / unchanged / retained, timings, which items
 * were held back, flagged or warned and why (file, title, rule, message), the last runs with
 * their durations, one row per remote source, retained items and errors. `/healthz` carries the
 * same data as JSON for machines. It also shows the requester's own address as kiosque resolved it
 * (the rate-limit key: behind a trusted proxy, the client the proxy names), so an operator can
 * check a `trustProxy` setting from a browser.
 *
 * Must not: run a build, be cached, echo stored text unescaped (errors quote upstream data), or go
 * out without the Content-Security-Policy every HTML response carries (its one inline stylesheet,
 * STATUS_STYLE, is allowed by hash; nothing else runs or loads).
 * Tunables: none.
 */
import type { Context } from 'hono';
import { type Locale, localeFor } from '../../core/render/i18n/translate.ts';
import type { BuildStatus } from '../../core/report/build-status.ts';
import type { Logger } from '../../ports/logger.ts';
import { BASE_HEADERS, methodNotAllowed } from '../http/plain-response.ts';
import { contentSecurityPolicyFor } from '../http/response-policy.ts';
import type { PublishedReader } from '../published-reader.ts';

/** The status page's only stylesheet (inline; the CSP allows exactly these bytes). */
export const STATUS_STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto}th,td{text-align:left;padding:.25rem .75rem;border-bottom:1px solid #ddd;vertical-align:top}tr.failed td{color:#a00}code{overflow-wrap:anywhere}';

function esc(value: string | number | null | undefined): string {
  return String(value ?? '—').replace(
    /[&<>"']/g,
    (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[ch]};`,
  );
}

type Facts = [string, string | number | null | undefined][];

function table(facts: Facts): string {
  return `<table><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

function summaryFacts(status: BuildStatus | null, locale: Locale, client?: string): Facts {
  const { t } = locale;
  const r = status?.report;
  const healthy = (status?.lastSuccessAt ?? null) !== null;
  const when = (iso: string | null | undefined) => (iso ? locale.dateTime(iso) : null);
  const ms = (value: number | null | undefined) =>
    value === null || value === undefined ? null : t.milliseconds(locale.number(value));
  const facts: Facts = [
    [
      t.statusState,
      healthy
        ? status?.lastSuccessAt === status?.lastAttemptAt
          ? t.statusOk
          : t.statusLastFailed
        : t.statusNothingYet,
    ],
    [t.statusLastAttempt, when(status?.lastAttemptAt)],
    [t.statusLastSuccess, when(status?.lastSuccessAt)],
    [t.statusItems, status ? locale.number(status.itemCount) : null],
    [t.statusDuration, ms(status?.durationMs)],
    [t.statusWarnings, status ? locale.number(status.warnings) : null],
  ];
  if (client !== undefined) facts.push([t.statusYourAddress, client]);
  if (r) {
    facts.push(
      [t.statusChanges, `${r.added} / ${r.updated} / ${r.unchanged}`],
      [t.statusRetained, r.retained.length],
      [t.statusFailed, r.failed],
      [t.statusDuplicates, r.duplicates],
      [t.statusCleaning, `${r.cleanReused} / ${r.cleaned}`],
      [
        t.statusTimings,
        `collect ${ms(r.timings.collectMs)}, clean ${ms(r.timings.cleanMs)}, publish ${ms(r.timings.publishMs)}`,
      ],
    );
  }
  return facts;
}

function attentionSection(status: BuildStatus | null, locale: Locale): string {
  const { t } = locale;
  const flagged = status?.flagged ?? [];
  let out = `<h2>${esc(t.statusAttention)}</h2>`;
  if (flagged.length === 0) return `${out}<p>${esc(t.statusAttentionNone)}</p>`;
  out += `<table><thead><tr><th>${esc(t.statusFile)}</th><th>${esc(t.statusItemTitle)}</th><th>${esc(t.statusRule)}</th><th>${esc(t.statusWhy)}</th><th>${esc(t.statusOutcome)}</th></tr></thead><tbody>`;
  for (const f of flagged) {
    out += `<tr${f.heldBack ? ' class="failed"' : ''}><td><code>${esc(f.source)}</code></td><td>${esc(f.title)}</td><td><code>${esc(f.code)}</code></td><td>${esc(f.message)}</td><td>${esc(f.heldBack ? t.statusHeldBack : t.statusPublishedFlagged)}</td></tr>`;
  }
  return `${out}</tbody></table>`;
}

function runsSection(status: BuildStatus | null, locale: Locale): string {
  const { t } = locale;
  const runs = status?.runs ?? [];
  if (runs.length === 0) return '';
  let out = `<h2>${esc(t.statusRuns)}</h2><table><thead><tr><th>${esc(t.statusRunAt)}</th><th>${esc(t.statusDuration)}</th><th>${esc(t.statusRunResult)}</th><th>${esc(t.statusItems)}</th></tr></thead><tbody>`;
  for (const run of runs) {
    out += `<tr${run.ok ? '' : ' class="failed"'}><td>${esc(locale.dateTime(run.startedAt))}</td><td>${esc(t.milliseconds(locale.number(run.durationMs)))}</td><td>${esc(run.ok ? t.statusRunOk : t.statusRunFailed)}</td><td>${esc(locale.number(run.items))}</td></tr>`;
  }
  return `${out}</tbody></table>`;
}

type SourceRow = NonNullable<BuildStatus['report']>['sources'][number];

/** A source's status code in words (a code this table does not know, from a newer status.json, as is). */
function stateLabel(t: Locale['t'], status: string): string {
  return Object.hasOwn(t.sourceStates, status)
    ? t.sourceStates[status as keyof typeof t.sourceStates]
    : status;
}

/** One row per remote source: its outcome in the last run, in the site's language. */
function sourcesSection(sources: readonly SourceRow[], locale: Locale): string {
  const { t } = locale;
  const head = [
    t.sourceName,
    t.sourceType,
    t.sourceStatus,
    t.sourceEntries,
    t.sourceItems,
    t.sourceFailedItems,
    t.sourceTime,
    t.sourceError,
  ]
    .map((h) => `<th>${esc(h)}</th>`)
    .join('');
  const body = sources.map((s) => {
    const note = s.error ?? (s.deferredUntil ? t.sourceDeferredUntil(locale.dateTime(s.deferredUntil)) : '');
    const cells = [
      `<a href="${esc(s.url)}" rel="noreferrer">${esc(s.name)}</a>`,
      esc(s.type),
      esc(stateLabel(t, s.status)),
      esc(locale.number(s.entries)),
      esc(locale.number(s.items)),
      esc(locale.number(s.failedItems)),
      esc(t.milliseconds(locale.number(s.ms))),
      esc(note),
    ];
    return `<tr class="${esc(s.status)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<h2>${esc(t.statusSources)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/**
 * The status page's HTML for a build status (null: nothing built yet), in the site's language
 * (the status names it; English before the first run); `client` is the requester's resolved
 * address, when known.
 */
export function renderStatusPage(status: BuildStatus | null, client?: string): string {
  const locale = localeFor(status?.site?.language ?? 'en');
  const { t } = locale;
  const r = status?.report;
  const home = status?.site?.home ?? '/';
  const root = home.replace(/\/$/, '');
  const rows: string[] = [];
  rows.push(
    `<nav><a href="${esc(home)}">← ${esc(t.home)}</a> · ${esc(t.feeds)}${esc(t.colon)} <a href="${esc(`${root}/feed.xml`)}">RSS</a> <a href="${esc(`${root}/atom.xml`)}">Atom</a> <a href="${esc(`${root}/feed.json`)}">JSON Feed</a> <a href="${esc(`${root}/opml.xml`)}">OPML</a></nav>`,
  );
  rows.push(table(summaryFacts(status, locale, client)));
  rows.push(attentionSection(status, locale));
  rows.push(runsSection(status, locale));
  if (r && r.sources.length > 0) rows.push(sourcesSection(r.sources, locale));
  if (r && r.retained.length > 0) {
    rows.push(
      `<h2>${esc(t.statusRetainedItems)}</h2><ul>${r.retained.map((i) => `<li><code>${esc(i.sourceId)}</code>: ${esc(i.reason)}</li>`).join('')}</ul>`,
    );
  }
  if (status && status.errors.length > 0) {
    rows.push(
      `<h2>${esc(t.statusErrors)}</h2><ul>${status.errors.map((e) => `<li>${e.source ? `<code>${esc(e.source)}</code>: ` : ''}${esc(e.message)}</li>`).join('')}</ul>`,
    );
  }
  const title = status?.site ? `${t.statusTitle} — ${status.site.title}` : `kiosque — ${t.statusTitle}`;
  return `<!doctype html><html lang="${esc(locale.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>${STATUS_STYLE}</style>
</head><body><h1>${esc(title)}</h1>${rows.join('\n')}</body></html>
`;
}

/** `clientOf`: the requester's resolved address (the app's rate-limit key), when the app has one. */
export function statusPage(
  reader: PublishedReader,
  logger?: Logger,
  clientOf?: (c: Context) => string | undefined,
): (c: Context) => Promise<Response> {
  const policy = contentSecurityPolicyFor(STATUS_STYLE);
  return async (c) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(c.req.path);
    let status: BuildStatus | null = null;
    try {
      status = await reader.status();
    } catch (error) {
      logger?.error('status page could not read storage', { error: (error as Error).message });
    }
    const bytes = new TextEncoder().encode(renderStatusPage(status, clientOf?.(c)));
    return new Response(method === 'HEAD' ? null : bytes, {
      status: 200,
      headers: {
        ...BASE_HEADERS,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'no-store',
        'Content-Security-Policy': await policy,
      },
    });
  };
}
