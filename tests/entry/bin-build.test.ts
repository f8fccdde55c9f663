import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO } from './bin-process.ts';

// bin/kiosque.mjs runs lib/ (compiled by scripts/build-node.mjs) and refuses a missing or stale
// lib/; scripts/build-node.mjs --prepare needs no compiler when lib/ is current.

let dir: string;

beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(root: string, args: readonly string[], cwd = root) {
  const result = spawnSync(process.execPath, [join(root, 'bin/kiosque.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A copy of what a deploy holds (bin/, lib/, src/, package.json, the tsconfigs, scripts/build-node.mjs)
 * with node_modules as links to the repository's packages minus the devDependencies: a production
 * install, without the TypeScript compiler or tsx.
 */
function deployCopy(options: { modules: boolean } = { modules: true }): string {
  const root = join(dir, 'app');
  mkdirSync(join(root, 'scripts'), { recursive: true });
  for (const path of ['bin', 'lib', 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(join(REPO, path), join(root, path), { recursive: true });
  }
  cpSync(join(REPO, 'scripts/build-node.mjs'), join(root, 'scripts/build-node.mjs'));
  if (options.modules) {
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const dev = new Set(Object.keys(manifest.devDependencies));
    mkdirSync(join(root, 'node_modules'));
    for (const name of readdirSync(join(REPO, 'node_modules'))) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        mkdirSync(join(root, 'node_modules', name));
        for (const scoped of readdirSync(join(REPO, 'node_modules', name))) {
          if (dev.has(`${name}/${scoped}`)) continue;
          symlinkSync(join(REPO, 'node_modules', name, scoped), join(root, 'node_modules', name, scoped));
        }
      } else if (!dev.has(name))
        symlinkSync(join(REPO, 'node_modules', name), join(root, 'node_modules', name));
    }
  }
  return root;
}

describe('bin/kiosque.mjs', () => {
  it('runs --help and a build of the seeds from lib/ without tsx or typescript installed', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    expect(existsSync(join(root, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(root, 'node_modules/typescript'))).toBe(false);
    const help = run(root, ['--help']);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: kiosque <command>/m);
    expect(help.status).toBe(0);
    cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
    const build = run(root, ['build', '--content', join(dir, 'content'), '--out', join(dir, 'out')], dir);
    expect(build.status, build.stderr).toBe(0);
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json'])
      expect(existsSync(join(dir, 'out', feed))).toBe(true);
  });

  it('runs when sources were touched or checked out again with the same bytes', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/entry/cli.ts'), later, later);
    expect(run(root, ['--help']).status).toBe(0);
  });

  it('refuses with status 78 and the rebuild command when a source changed since the build', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    appendFileSync(join(root, 'src/config.ts'), '\n// edited\n');
    const result = run(root, ['--help']);
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch('src/config.ts changed');
    expect(result.stderr).toMatch('npm run build:node');
  });

  it('refuses when the build settings changed', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    appendFileSync(join(root, 'tsconfig.build.json'), '\n');
    const result = run(root, ['--help']);
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch('tsconfig.build.json changed');
  });

  it('refuses when there is no build, naming the command that makes one', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    rmSync(join(root, 'lib'), { recursive: true });
    const result = run(root, ['--help']);
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch('no compiled output in lib/');
    expect(result.stderr).toMatch('npm run build:node');
  });

  it('runs lib/ as shipped when the deploy holds no src/', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy();
    rmSync(join(root, 'src'), { recursive: true });
    expect(run(root, ['--help']).status).toBe(0);
  });
});

describe('scripts/build-node.mjs --prepare without a compiler (npm ci --omit=dev)', () => {
  function prepare(root: string) {
    return spawnSync(process.execPath, [join(root, 'scripts/build-node.mjs'), '--prepare'], {
      cwd: root,
      encoding: 'utf8',
    });
  }

  it('succeeds when lib/ is current', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy({ modules: false });
    const result = prepare(root);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch('up to date; no compiler needed');
  });

  it('fails, saying how to deploy, when lib/ is stale', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-bin-'));
    const root = deployCopy({ modules: false });
    appendFileSync(join(root, 'src/config.ts'), '\n// edited\n');
    const result = prepare(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch('no TypeScript compiler');
    expect(result.stderr).toMatch('src/config.ts changed');
    expect(result.stderr).toMatch('docs/deploy-node.md');
  });
});
