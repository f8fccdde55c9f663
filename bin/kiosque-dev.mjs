#!/usr/bin/env node
// Development: the kiosque command on the TypeScript sources through tsx (a dev dependency), no
// build step. `npm run dev` (serve, restarted by node --watch when a source changes) and
// `npm run dev:cli -- <command>`. Production runs bin/kiosque.mjs.
import { register } from 'tsx/esm/api';
import { runCli } from './run-cli.mjs';

register();
const { main } = await import('../src/entry/cli.ts');
await runCli(main);
