// Global setup for the workerd tests (vitest.workers.config.ts): rebuild the Worker's lazily
// loaded pipeline module (src/entry/generated/worker-pipeline.mjs, gitignored) from the current
// sources before any test runs, since worker.ts's `scheduled` imports that built file, exactly as
// the deployed Worker does. Runs in Node, once per test run; writes only when the output changed.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '../../scripts/build-worker-pipeline.mjs')], {
    stdio: 'inherit',
  });
}
