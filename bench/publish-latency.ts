/**
 * Bench scenario: publish on change. Starts `kiosque serve` (127.0.0.1, port 0, a schedule that
 * never fires) over a copy of content/ (plus `--extra N` generated articles), then, per round,
 * writes one new article and polls /feed.json until the item is served: the latency from the
 * write to served bytes (debounce + incremental run + reload). Prints JSON.
 *
 *   npx tsx bench/publish-latency.ts [--rounds 5] [--extra 0]
 *
 * Must not: be run at large sizes on a shared machine (it writes `--extra` files to a temp dir).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { startNodeServer } from '../src/entry/node-server.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** `date` orders the feed: the measured articles are newer than every extra one, so they reach /feed.json. */
function article(title: string, date: string): string {
  return `---\ntitle: ${title}\ndate: ${date}\n---\n\n${title} : un paragraphe assez long pour passer le nettoyage, écrit par le banc d’essai de publication sur modification, avec quelques mots de plus pour faire bonne mesure.\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '5' }, extra: { type: 'string', default: '0' } },
  });
  const rounds = Number(values.rounds);
  const extra = Number(values.extra);
  const dir = mkdtempSync(join(tmpdir(), 'kiosque-bench-latency-'));
  try {
    cpSync(join(import.meta.dirname, '..', 'content'), join(dir, 'content'), { recursive: true });
    for (let i = 0; i < extra; i++)
      writeFileSync(join(dir, 'content', `extra-${i}.md`), article(`Article ${i}`, '2020-01-01'));
    const config = {
      ...parseConfig({
        port: 0,
        host: '127.0.0.1',
        schedule: '0 0 1 1 *',
        site: { baseUrl: 'http://127.0.0.1' },
      }),
      contentDir: join(dir, 'content'),
      outDir: join(dir, 'feeds'),
      stateDir: join(dir, 'feeds/.state'),
    };
    const server = await startNodeServer(config, silent);
    try {
      while ((await fetch(`${server.url}/healthz`)).status !== 200)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      const latencies: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const title = `Mesure de latence numéro ${round}`;
        const t0 = performance.now();
        writeFileSync(
          join(dir, 'content', `latency-${round}.md`),
          article(title, `2026-12-07T12:00:${String(round).padStart(2, '0')}Z`),
        );
        while (!(await (await fetch(`${server.url}/feed.json`)).text()).includes(title)) {
          await new Promise((r) => setTimeout(r, 20));
        }
        latencies.push(Math.round(performance.now() - t0));
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          scenario: 'publish-latency',
          articles: 5 + extra,
          rounds,
          latencyMs: latencies,
          medianMs: sorted[Math.floor(sorted.length / 2)],
        }),
      );
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
