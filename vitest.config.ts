import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests that need workerd (cloudflare:test) run with vitest.workers.config.ts instead.
    exclude: [...configDefaults.exclude, 'tests/worker/**', 'tests/**/*.worker.test.ts'],
    // A unit test takes well under 2 s alone; the default bound is for a loaded 2-core machine
    // (other jobs, the Worker suite beside it), where 20 s was seen to fail passing tests. Tests
    // that do real work (property runs, soak, crash loop, subprocesses) set their own bound.
    testTimeout: 60_000,
    // Property tests draw from one fixed seed unless KIOSQUE_PROPERTY_SEED says otherwise, so a
    // run is reproducible on every machine (tests/support/property-seed.ts).
    setupFiles: ['tests/support/property-seed.ts'],
  },
});
