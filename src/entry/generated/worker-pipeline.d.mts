// Types of worker-pipeline.mjs, the Worker's lazily loaded pipeline module, which
// scripts/build-worker-pipeline.mjs bundles from ../worker-pipeline.ts (the .mjs is gitignored and
// rebuilt by every Worker build; this declaration is committed so typecheck works on a fresh clone).

export type { EdgeBuildInput } from '../worker-pipeline.ts';
export { runEdgeBuild } from '../worker-pipeline.ts';
