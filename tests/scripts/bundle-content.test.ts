import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote, renderContentBundle } from '../../scripts/bundle-content.ts';
import { createBundledStorage } from '../../src/drivers/storage/bundled.ts';

const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('bundle-content', () => {
  it('round-trips every file byte-exact, skipping dotfiles, keyed by relative path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosque-bundle-'));
    dirs.push(dir);
    const files: Record<string, Uint8Array> = {
      'a.txt': new TextEncoder().encode('L\'article « cité » dit "oui"\n\tfin\u2028'),
      'src/b.md': new TextEncoder().encode('---\ntitle: B\n---\n\nTexte\\ avec antislash\n'),
      'legacy.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
      'bom.txt': new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]),
    };
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, '.git'));
    for (const [key, bytes] of Object.entries(files)) writeFileSync(join(dir, key), bytes);
    writeFileSync(join(dir, '.hidden.txt'), 'no');
    writeFileSync(join(dir, '.git', 'x.txt'), 'no');

    const module = join(dir, 'bundle.ts');
    writeFileSync(module, renderContentBundle(dir));
    const { CONTENT_BUNDLE } = (await import(
      module
    )) as typeof import('../../src/entry/generated/content-bundle.ts');
    const storage = createBundledStorage(CONTENT_BUNDLE);
    expect(await storage.list('')).toEqual(['a.txt', 'bom.txt', 'legacy.txt', 'src/b.md']);
    for (const [key, bytes] of Object.entries(files)) {
      expect([...((await storage.get(key))?.body ?? [])]).toEqual([...bytes]);
    }
  });

  it('quotes like Biome: single quotes unless the text has more of them than double quotes', () => {
    expect(quote('plain')).toBe("'plain'");
    expect(quote("l'a")).toBe(`"l'a"`);
    expect(quote('say "hi"')).toBe('\'say "hi"\'');
    expect(quote('a\nb\\c')).toBe("'a\\nb\\\\c'");
  });

  it('the committed content bundle matches content/ (run npm run bundle:content after editing content/)', () => {
    const committed = readFileSync(join(ROOT, 'src/entry/generated/content-bundle.ts'), 'utf8');
    expect(committed).toBe(renderContentBundle(join(ROOT, 'content')));
  });
});
