// wrangler.toml must stay consistent with the code: the entry it names exists, the cron trigger is
// the Node default and the SCHEDULE var, the vars parse, and the compatibility date is one the
// pinned workerd supports.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE } from '../../src/config.ts';
import { configFromWorkerVars } from '../../src/entry/worker-config.ts';

const ROOT = join(import.meta.dirname, '../..');
const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
const value = (key: string): string | undefined =>
  new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(toml)?.[1];

describe('wrangler.toml', () => {
  it('names the Worker entry, which exists', () => {
    expect(value('main')).toBe('src/entry/worker.ts');
    expect(existsSync(join(ROOT, value('main') ?? 'missing'))).toBe(true);
  });

  it('triggers on the Node default schedule and says so in SCHEDULE', () => {
    expect(/^crons\s*=\s*\["([^"]+)"\]/m.exec(toml)?.[1]).toBe(DEFAULT_SCHEDULE);
    expect(value('SCHEDULE')).toBe(DEFAULT_SCHEDULE);
  });

  it('uses a compatibility date the pinned workerd (2026-04-26) supports', () => {
    const date = value('compatibility_date') ?? '';
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(date <= '2026-04-26').toBe(true);
  });

  it('declares vars that parse with the same parseConfig', () => {
    const vars = Object.fromEntries(
      ['SITE_TITLE', 'SITE_DESCRIPTION', 'SITE_URL', 'SITE_LANGUAGE', 'FEED_SIZE', 'SCHEDULE'].map((k) => [
        k,
        value(k),
      ]),
    );
    expect(() => configFromWorkerVars(vars)).not.toThrow();
  });

  it('uploads the pipeline as a module of its own, which the [build] command builds', () => {
    expect(/^find_additional_modules\s*=\s*true$/m.test(toml)).toBe(true);
    expect(value('base_dir')).toBe('src/entry');
    const rule = /\[\[rules\]\]\ntype = "ESModule"\nglobs = \["([^"]+)"\]/.exec(toml)?.[1] ?? '';
    // wrangler matches the rule against the import specifier as written in worker.ts (which makes
    // the import external) and against the file's path under base_dir (which uploads it).
    const specifier = /import\('(\.\/generated\/[^']+)'\)/.exec(
      readFileSync(join(ROOT, 'src/entry/worker.ts'), 'utf8'),
    )?.[1];
    expect(specifier).toBe('./generated/worker-pipeline.mjs');
    const glob = new RegExp(`^${rule.replaceAll('.', '\\.').replace('**/', '(?:.*/)?')}$`);
    expect(glob.test(specifier ?? '')).toBe(true);
    expect(glob.test('generated/worker-pipeline.mjs')).toBe(true);
    expect(value('command')).toMatch(
      /scripts\/bundle-content\.ts && node scripts\/build-worker-pipeline\.mjs$/,
    );
  });

  it('binds R2 buckets FEEDS and STATE', () => {
    expect(toml).toMatch(/binding = "FEEDS"/);
    expect(toml).toMatch(/binding = "STATE"/);
  });
});
