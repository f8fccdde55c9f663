/**
 * Load + regeneration soak: `/feed.xml` saturated by autocannon while the content changes and a
 * regeneration publishes every `regenerateEveryMs`, plus concurrent checker clients that verify
 * every body against its ETag (autocannon cannot read bodies). RSS is sampled every second.
 * Used by scripts/hardening/soak.ts (60 s) and tests/hardening/soak.test.ts (~5 s).
 *
 * Three processes: this one serves (createApp over a fs reader, as `kiosque serve`), a builder
 * (regen-loop.ts) publishes into the same directory every second, and autocannon's CLI loads
 * the server. The server learns of new manifests only through its reader's refresh: the
 * cross-process path, where new bytes must never meet an old manifest.
 * Must not: be imported by src/. Tunables: SoakOptions.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Agent, request } from 'undici';
import { createApp } from '../../src/app/create-app.ts';
import { createStorageReader } from '../../src/app/published-reader.ts';
import { shortDigest } from '../../src/core/digest/hash.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';

const REPO = join(import.meta.dirname, '../..');
const AUTOCANNON = join(REPO, 'node_modules/autocannon/autocannon.js');
const REGEN_LOOP = join(REPO, 'scripts/hardening/regen-loop.ts');

interface LoadResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** autocannon's CLI in a child process, `--json` result parsed. */
function loadInChild(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        AUTOCANNON,
        '-c',
        String(connections),
        '-d',
        String(seconds),
        '-H',
        'accept-encoding=br, gzip',
        '-j',
        url,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`autocannon exited ${code} without a JSON result: ${out.slice(0, 200)}`));
      }
    });
  });
}

export interface SoakOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly checkers: number;
  readonly regenerateEveryMs: number;
  /** How often the server's reader looks for a new manifest (default 1000, as in production). */
  readonly refreshMs?: number;
}

export interface SoakResult {
  readonly loadRequests: number;
  readonly loadErrors: number;
  readonly loadNon2xx: number;
  readonly checkedRequests: number;
  readonly checkedErrors: string[];
  readonly mismatches: string[];
  readonly regenerations: number;
  readonly failedRegenerations: number;
  readonly maxRegenerationMs: number;
  readonly distinctEtags: number;
  readonly rssMb: {
    readonly start: number;
    readonly afterWarmup: number;
    readonly end: number;
    readonly max: number;
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const root = mkdtempSync(join(tmpdir(), 'kiosque-soak-'));
  mkdirSync(join(root, 'content'));
  for (const name of readdirSync(join(REPO, 'content')).filter((n) => n.endsWith('.txt'))) {
    cpSync(join(REPO, 'content', name), join(root, 'content', name));
  }
  const published = createFsStorage(join(root, 'public'));
  // The builder is its own process (like `kiosque build` from cron next to `kiosque serve`):
  // the server only sees new manifests through its reader's refresh, the cross-process path.
  const builder = spawn(
    process.execPath,
    ['--import', 'tsx', REGEN_LOOP, root, String(options.durationSeconds), String(options.regenerateEveryMs)],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let builderOut = '';
  const builderDone = new Promise<{ regenerations: number; failed: number; maxMs: number }>(
    (resolve, reject) => {
      builder.stdout.on('data', (chunk: Buffer) => {
        builderOut += chunk.toString();
      });
      builder.on('exit', () => {
        try {
          resolve(
            JSON.parse(
              builderOut
                .split('\n')
                .filter((l) => l.startsWith('{'))
                .pop() ?? '',
            ),
          );
        } catch {
          reject(new Error(`builder ended without a report: ${builderOut.slice(0, 200)}`));
        }
      });
    },
  );
  // Serve once the first build has published.
  while (!builderOut.includes('ready\n')) await new Promise((r) => setTimeout(r, 50));
  const reader = createStorageReader(published, { refreshMs: options.refreshMs ?? 1000 });

  const app = createApp({ reader });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const mb = (): number => Math.round(process.memoryUsage().rss / 1024 / 1024);
  const rss: number[] = [mb()];
  const deadline = Date.now() + options.durationSeconds * 1000;
  const sampler = setInterval(() => rss.push(mb()), 1000);

  const mismatches: string[] = [];
  const checkedErrors: string[] = [];
  const etags = new Set<string>();
  let checkedRequests = 0;
  const agent = new Agent({ connections: options.checkers });
  const codings = ['identity', 'gzip', 'br'] as const;
  const checker = async (n: number): Promise<void> => {
    const coding = codings[n % codings.length] ?? 'identity';
    while (Date.now() < deadline) {
      try {
        const response = await request(`${url}/feed.xml`, {
          dispatcher: agent,
          headers: { 'accept-encoding': coding },
        });
        const body = new Uint8Array(await response.body.arrayBuffer());
        checkedRequests++;
        const etag = String(response.headers.etag ?? '');
        if (response.statusCode !== 200) {
          checkedErrors.push(`status ${response.statusCode}`);
          continue;
        }
        etags.add(etag);
        // The ETag names the identity bytes plus the coding: decode, then hash.
        const encoding = String(response.headers['content-encoding'] ?? 'identity');
        const identity =
          encoding === 'gzip' ? gunzipSync(body) : encoding === 'br' ? brotliDecompressSync(body) : body;
        const expected = `"${await shortDigest(identity)}${encoding === 'identity' ? '' : `-${encoding}`}"`;
        if (etag !== expected) mismatches.push(`${encoding}: ETag ${etag}, body hashes to ${expected}`);
        if (Number(response.headers['content-length']) !== body.byteLength) {
          mismatches.push(
            `${encoding}: Content-Length ${response.headers['content-length']} for ${body.byteLength} bytes`,
          );
        }
      } catch (error) {
        checkedErrors.push((error as Error).message);
      }
    }
  };
  const checking = Promise.all(Array.from({ length: options.checkers }, (_, n) => checker(n)));
  const load = await loadInChild(`${url}/feed.xml`, options.connections, options.durationSeconds);
  const [built] = await Promise.all([builderDone, checking]);
  clearInterval(sampler);
  rss.push(mb());
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });

  const warm = rss[Math.min(rss.length - 1, Math.max(1, Math.floor(rss.length / 5)))] ?? rss[0] ?? 0;
  return {
    loadRequests: load.requests.total,
    loadErrors: load.errors + load.timeouts,
    loadNon2xx: load.non2xx,
    checkedRequests,
    checkedErrors,
    mismatches,
    regenerations: built.regenerations,
    failedRegenerations: built.failed,
    maxRegenerationMs: built.maxMs,
    distinctEtags: etags.size,
    rssMb: { start: rss[0] ?? 0, afterWarmup: warm, end: rss[rss.length - 1] ?? 0, max: Math.max(...rss) },
  };
}
