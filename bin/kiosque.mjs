#!/usr/bin/env node
// The kiosque command: runs the JavaScript that scripts/build-node.mjs compiled from src/ into lib/
// (`npm install`/`npm ci` run it through `prepare`; `npm run build:node` by hand). No TypeScript
// runner at run time. Refuses, with exit status 78 (EX_CONFIG) and a message saying how to
// rebuild, when lib/ is missing or was built from other sources than src/ holds: it never runs
// stale code and never builds (the install folder may be read-only to the service).
// bin/kiosque-dev.mjs runs the sources instead (npm run dev, npm run dev:cli).
import { buildProblem } from './build-inputs.mjs';
import { runCli } from './run-cli.mjs';

const problem = buildProblem();
if (problem === null) {
  const { main } = await import('../lib/entry/cli.js');
  await runCli(main);
} else {
  process.stderr.write(`kiosque: ${problem}\n`);
  process.exitCode = 78;
}
