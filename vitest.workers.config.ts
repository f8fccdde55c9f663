// Tests that run inside workerd (the Workers runtime) through @cloudflare/vitest-pool-workers:
// the Worker entry (scheduled publish, fetch semantics) and the Storage contract over KV and R2.
// Run: npx vitest run --config vitest.workers.config.ts. The Node suite (vitest.config.ts)
// excludes these files: they import cloudflare:test and need the pool.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      // Bindings, vars, compatibility date and `main` (for SELF) come from the real config...
      wrangler: { configPath: './wrangler.toml' },
      // ...plus a KV namespace used only by the KV driver's contract run.
      miniflare: { kvNamespaces: ['TEST_KV'] },
    }),
  ],
  test: {
    include: ['tests/worker/**/*.test.ts', 'tests/**/*.worker.test.ts'],
    // scheduled() imports the built pipeline module (generated/worker-pipeline.mjs, gitignored):
    // rebuild it from the current sources first, so the tests run what wrangler would upload.
    globalSetup: ['tests/worker/global-setup.ts'],
    // A scheduled build of the seed content takes ~1 s alone and was measured at 15–37 s on a
    // loaded 2-core machine; a test that times out leaves its build writing into the next test's
    // buckets, so the bound is generous (a hung test still fails, just later).
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // xss is CommonJS with `module.exports = fn` plus properties; the pool's own CJS shim then
    // exposes only `default`, so `import { FilterXSS } from 'xss'` is undefined. Pre-bundling it
    // with Vite's optimizer gives real named exports (wrangler's esbuild bundle needs nothing).
    deps: { optimizer: { ssr: { enabled: true, include: ['xss'] } } },
  },
});
