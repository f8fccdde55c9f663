import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPackageVersion, KIOSQUE_VERSION } from '../../src/entry/package-version.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-version-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('findPackageVersion', () => {
  it('walks up past other packages to the nearest package.json named kiosque, at any depth', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kiosque', version: '1.2.3' }));
    const deep = join(dir, 'dist', 'src', 'entry');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(dir, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(findPackageVersion(deep)).toBe('1.2.3');
    expect(findPackageVersion(join(dir, 'dist'))).toBe('1.2.3');
  });

  it('says 0.0.0 when there is none', () => {
    expect(findPackageVersion(dir, 'no-such-package-name')).toBe('0.0.0');
  });

  it('reads the repository version from the sources', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(KIOSQUE_VERSION).toBe(pkg.version);
  });
});
