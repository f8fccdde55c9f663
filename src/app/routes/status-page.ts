/**
 * `/status`: the stored build status (status.json, with the run summary of issue 5) → a small
 * HTML page for humans: last attempt and success, item count, added / updated / unchanged /
 * retained, timings, one row per remote source, retained items and errors. `/healthz` carries the
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
import type { BuildStatus } from '../../core/pipeline/build-status.ts';
import type { Logger } from '../../ports/logger.ts';
import { BASE_HEADERS, methodNotAllowed } from '../http/plain-response.ts';
import { contentSecurityPolicyFor } from '../http/response-policy.ts';
import type { PublishedReader } from '../published-reader.ts';

/** The status page's only stylesheet (inline; the CSP allows exactly these bytes). */
export const STATUS_STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0}th,td{text-align:left;padding:.25rem .75rem;border-bottom:1px solid #ddd}tr.failed td{color:#a00}';

function esc(value: string | number | null | undefined): string {
  return String(value ?? '—').replace(
    /[&<>"']/g,
    (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[ch]};`,
  );
}

/**
 * The status page's HTML for a build status (null: nothing built yet); `client` is the
 * requester's resolved address, when known.
 */
export function renderStatusPage(status: BuildStatus | null, client?: string): string {
  const rows: string[] = [];
  const r = status?.report;
  const healthy = (status?.lastSuccessAt ?? null) !== null;
  const facts: [string, string | number | null | undefined][] = [
    [
      'State',
      healthy
        ? status?.lastSuccessAt === status?.lastAttemptAt
          ? 'ok'
          : 'last run failed; serving the last good feeds'
        : 'no build published yet',
    ],
    ['Last attempt', status?.lastAttemptAt],
    ['Last success', status?.lastSuccessAt],
    ['Items published', status?.itemCount],
    ['Duration (ms)', status?.durationMs],
    ['Warnings', status?.warnings],
  ];
  if (client !== undefined) facts.push(['Your address (rate-limit key)', client]);
  if (r) {
    facts.push(
      ['Added / updated / unchanged', `${r.added} / ${r.updated} / ${r.unchanged}`],
      ['Retained (last good copy)', r.retained.length],
      ['Failed', r.failed],
      ['Duplicates folded', r.duplicates],
      ['Cleaning (reused / cleaned)', `${r.cleanReused} / ${r.cleaned}`],
      [
        'Timings (ms)',
        `collect ${r.timings.collectMs}, clean ${r.timings.cleanMs}, publish ${r.timings.publishMs}`,
      ],
    );
  }
  rows.push(
    `<table><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`,
  );
  if (r && r.sources.length > 0) {
    rows.push(
      '<h2>Sources</h2><table><thead><tr><th>Name</th><th>Type</th><th>Status</th><th>Entries</th><th>Items</th><th>Failed</th><th>ms</th><th>Error</th></tr></thead><tbody>',
      ...r.sources.map(
        (s) =>
          `<tr class="${esc(s.status)}"><td><a href="${esc(s.url)}" rel="noreferrer">${esc(s.name)}</a></td><td>${esc(s.type)}</td><td>${esc(s.status)}</td><td>${esc(s.entries)}</td><td>${esc(s.items)}</td><td>${esc(s.failedItems)}</td><td>${esc(s.ms)}</td><td>${esc(s.error ?? (s.deferredUntil ? `deferred until ${s.deferredUntil}` : ''))}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  if (r && r.retained.length > 0) {
    rows.push(
      `<h2>Retained items</h2><ul>${r.retained.map((i) => `<li>${esc(i.sourceId)}: ${esc(i.reason)}</li>`).join('')}</ul>`,
    );
  }
  if (status && status.errors.length > 0) {
    rows.push(
      `<h2>Errors</h2><ul>${status.errors.map((e) => `<li>${e.source ? `<code>${esc(e.source)}</code>: ` : ''}${esc(e.message)}</li>`).join('')}</ul>`,
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>kiosque status</title>
<style>${STATUS_STYLE}</style>
</head><body><h1>kiosque status</h1>${rows.join('\n')}</body></html>
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
