// The Worker as wrangler uploads it: two ES modules, and the pipeline one loaded only by `scheduled`.
// Builds the real upload (`wrangler deploy --dry-run --outdir`, which also runs the [build] command)
// into a temp folder, then runs those files in workerd through Miniflare, the module graph being
// workerd's own (not Vite's, as in the pool tests):
//   - with the pipeline module replaced by one that throws when evaluated, the Worker still starts
//     and serves: the startup module never evaluates it; the cron run, which imports it, fails;
//   - with the real pipeline module, the cron run publishes and the feeds are served;
//   - scripts/check-bundle-size.mjs reads the same folder: startup within budget, pipeline lazy.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const PIPELINE = 'generated/worker-pipeline.mjs';
const CRON = '*/15 * * * *';
const OFFLINE = {
  ...process.env,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};

let outdir = '';

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kiosque-worker-'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir],
    { cwd: ROOT, env: OFFLINE, stdio: 'pipe' },
  );
}, 180_000); // wrangler bundles the Worker: seconds alone, a minute or more under load

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The uploaded modules in workerd, with the pipeline module's source replaced when given. */
function startWorker(pipelineSource?: string): Miniflare {
  return new Miniflare({
    host: '127.0.0.1',
    port: 0,
    compatibilityDate: '2026-04-20',
    modulesRoot: outdir,
    modules: [
      { type: 'ESModule', path: join(outdir, 'worker.js') },
      {
        type: 'ESModule',
        path: join(outdir, PIPELINE),
        contents: pipelineSource ?? readFileSync(join(outdir, PIPELINE), 'utf8'),
      },
    ],
    r2Buckets: ['FEEDS', 'STATE'],
    bindings: { SITE_URL: 'http://127.0.0.1:8787', SCHEDULE: CRON },
  });
}

async function statusOf(mf: Miniflare, path: string): Promise<number> {
  const response = await mf.dispatchFetch(`http://127.0.0.1:8787${path}`);
  await response.arrayBuffer();
  return response.status;
}

describe('the uploaded Worker (wrangler dry-run output in workerd)', () => {
  it('is two modules, the main one importing the pipeline only through import()', () => {
    const main = readFileSync(join(outdir, 'worker.js'), 'utf8');
    expect(main).toContain(`import("./${PIPELINE}")`);
    expect(main).not.toMatch(/\b(?:import|export)\s*[\w$*\s{},]*from\s*["']\.\/generated\//);
    // Nothing of the pipeline's dependencies is in the startup module.
    for (const marker of ['franc', 'stopword', 'feedsmith']) expect(main).not.toContain(marker);
  });

  it('starts and serves without evaluating the pipeline module; only the cron run evaluates it', async () => {
    const mf = startWorker(
      'throw new Error("pipeline module evaluated");\nexport function runEdgeBuild() {}\n',
    );
    try {
      expect(await statusOf(mf, '/healthz')).toBe(503);
      expect(await statusOf(mf, '/feed.xml')).toBe(503);
      const worker = await mf.getWorker();
      const result = await worker.scheduled({ cron: CRON });
      expect(result.outcome).toBe('exception');
      // The failed import is the cron's failure; serving is unaffected.
      expect(await statusOf(mf, '/healthz')).toBe(503);
    } finally {
      await mf.dispose();
    }
  }, 180_000);

  it('publishes from the cron run with the real pipeline module, then serves the feeds', async () => {
    const mf = startWorker();
    try {
      const worker = await mf.getWorker();
      expect((await worker.scheduled({ cron: CRON })).outcome).toBe('ok');
      expect(await statusOf(mf, '/healthz')).toBe(200);
      const feed = await mf.dispatchFetch('http://127.0.0.1:8787/feed.xml');
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('<rss');
    } finally {
      await mf.dispose();
    }
  }, 180_000);

  it('passes check-bundle-size: startup within budget, the pipeline reported as lazily loaded', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/check-bundle-size.mjs'), '--dir', outdir],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/generated\/worker-pipeline\.mjs .* lazily, import\(\) from worker\.js/);
    expect(result.stdout).toMatch(/^startup: worker\.js: .* gzipped \(budget 150\.0 KiB gzipped\)$/m);
    expect(result.stdout).toMatch(/^within budget$/m);
  });
});
