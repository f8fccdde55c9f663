import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { loadConfig } from '../../src/entry/load-config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('runs on defaults when there is no config file, with folders under the working directory', () => {
    const { config, file } = loadConfig(undefined, {}, dir);
    expect(file).toBeNull();
    expect(config.contentDir).toBe(join(dir, 'content'));
    expect(config.outDir).toBe(join(dir, 'feeds'));
    expect(config.stateDir).toBe(join(dir, 'feeds/.state'));
  });

  it('picks up kiosque.config.json and resolves folders against its folder', () => {
    writeFileSync(join(dir, 'kiosque.config.json'), JSON.stringify({ contentDir: 'articles', port: 9999 }));
    const { config, file } = loadConfig(undefined, {}, dir);
    expect(file).toBe(join(dir, 'kiosque.config.json'));
    expect(config.contentDir).toBe(join(dir, 'articles'));
    expect(config.port).toBe(9999);
  });

  it('names a missing or malformed explicit file', () => {
    expect(() => loadConfig('nope.json', {}, dir)).toThrow(ConfigError);
    expect(() => loadConfig('nope.json', {}, dir)).toThrow(/cannot read config file .*nope\.json: ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '{ "port": ');
    expect(() => loadConfig('bad.json', {}, dir)).toThrow(/bad\.json is not valid JSON/);
  });
});

describe('loadConfig problems', () => {
  it('lists every problem of the file and names it', () => {
    writeFileSync(
      join(dir, 'kiosque.config.json'),
      JSON.stringify({ feedSize: 0, contnetDir: 'x', site: { baseUrl: 'example.org' } }),
    );
    let error: ConfigError | undefined;
    try {
      loadConfig(undefined, {}, dir);
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.origin).toBe(join(dir, 'kiosque.config.json'));
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/^3 problems in .*kiosque\.config\.json:\n/);
    expect(error?.message).toContain('unknown config field "contnetDir"; did you mean "contentDir"?');
  });
});
