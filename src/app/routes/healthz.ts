/**
 * `/healthz`: the build status stored by the last regeneration + the manifest being served →
 * JSON, 200 once a build has published (a manifest exists or the status records a success),
 * 503 before that, so an orchestrator does not route traffic to an empty instance. When the
 * process pings WebSub hubs, their last results are reported under `websub` (a failing hub
 * does not make the instance unhealthy: the feeds are still served).
 *
 * Must not: run a build or be cached. Tunables: none.
 */
import type { Context } from 'hono';
import type { WebSubStatus } from '../../core/syndicate/websub-status.ts';
import type { Logger } from '../../ports/logger.ts';
import { BASE_HEADERS, methodNotAllowed, preflight } from '../http/plain-response.ts';
import type { PublishedReader } from '../published-reader.ts';

export function healthz(
  reader: PublishedReader,
  logger?: Logger,
  websub?: () => WebSubStatus,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const method = c.req.method;
    if (method === 'OPTIONS') return preflight();
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(c.req.path);
    let body: Record<string, unknown>;
    let healthy = false;
    try {
      const [status, manifest] = await Promise.all([reader.status(), reader.manifest()]);
      healthy = manifest !== null || (status?.lastSuccessAt ?? null) !== null;
      body = {
        status: healthy ? 'ok' : 'unavailable',
        generation: manifest?.generation ?? null,
        publishedAt: manifest?.publishedAt ?? null,
        documents: manifest?.documents ?? 0,
        build: status,
        ...(websub ? { websub: websub() } : {}),
      };
    } catch (error) {
      logger?.error('health check could not read storage', { error: (error as Error).message });
      body = { status: 'unavailable', error: (error as Error).message };
    }
    const bytes = new TextEncoder().encode(`${JSON.stringify(body)}\n`);
    return new Response(method === 'HEAD' ? null : bytes, {
      status: healthy ? 200 : 503,
      headers: {
        ...BASE_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(bytes.byteLength),
        'Cache-Control': 'no-store',
      },
    });
  };
}
