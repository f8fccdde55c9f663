import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests that need workerd (cloudflare:test) run with vitest.workers.config.ts instead.
    exclude: [...configDefaults.exclude, 'tests/worker/**', 'tests/**/*.worker.test.ts'],
    testTimeout: 20_000,
  },
});
