/**
 * A server under test, in its own process (the bench pins it to one CPU):
 *   kiosque --content DIR --out DIR  → kiosque's real Node server (startNodeServer: builds once,
 *                                      then serves what it published), port chosen by the OS,
 *                                      rate limit configured high enough never to answer 429;
 *   raw --spec FILE                  → one plain `node:http` server per variant in the spec, each
 *                                      answering every request with the same Buffer and headers.
 * Prints one JSON line when listening: `{ "url": ... }` or `{ "urls": { name: url } }`.
 *
 * Must not: log to stdout after the ready line, or listen anywhere but 127.0.0.1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/entry/load-config.ts';
import { startNodeServer } from '../src/entry/node-server.ts';
import type { Logger } from '../src/ports/logger.ts';

/** What the raw baseline serves: per variant, a body file and the headers to send with it. */
export interface RawSpec {
  readonly variants: Readonly<
    Record<string, { readonly bodyFile: string; readonly headers: OutgoingHttpHeaders }>
  >;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

async function startKiosque(): Promise<void> {
  const outDir = resolve(arg('out'));
  // The per-client rate limit stays on (its cost is part of serving) but with a bucket the load
  // generator never empties: one client at ~20k req/s would otherwise get 429s.
  const cfgDir = mkdtempSync(join(tmpdir(), 'kiosque-cfg-'));
  const cfgFile = join(cfgDir, 'kiosque.config.json');
  writeFileSync(cfgFile, JSON.stringify({ rateLimit: { requests: 1_000_000, windowSeconds: 1 } }));
  let defaults: ReturnType<typeof loadConfig>['config'];
  try {
    defaults = loadConfig(cfgFile, {}, cfgDir).config;
  } catch (error) {
    process.stderr.write(`server-child: config without rateLimit (${(error as Error).message})\n`);
    defaults = loadConfig(undefined, {}, mkdtempSync(join(tmpdir(), 'kiosque-cfg-'))).config;
  }
  const config = {
    ...defaults,
    contentDir: resolve(arg('content')),
    outDir,
    stateDir: join(outDir, '.state'),
    host: '127.0.0.1',
    port: 0,
  };
  const server = await startNodeServer(config, silent);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

async function startRaw(): Promise<void> {
  const spec = JSON.parse(readFileSync(arg('spec'), 'utf8')) as RawSpec;
  const urls: Record<string, string> = {};
  for (const [name, variant] of Object.entries(spec.variants)) {
    const body = readFileSync(variant.bodyFile);
    const headers = variant.headers;
    const server = createServer((_req, res) => {
      res.writeHead(200, headers);
      res.end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`${JSON.stringify({ urls })}\n`);
}

const mode = process.argv[2];
(mode === 'kiosque'
  ? startKiosque()
  : mode === 'raw'
    ? startRaw()
    : Promise.reject(new Error(`mode ${mode}?`))
).catch((error: unknown) => {
  process.stderr.write(`server-child: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
