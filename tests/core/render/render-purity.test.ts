import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDER_DIR = join(import.meta.dirname, '../../../src/core/render');
const sources = readdirSync(RENDER_DIR)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(RENDER_DIR, name), 'utf8') }));

/** Source without comments, so a header that explains the rule does not trip it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('render stage purity', () => {
  it.each(sources)('$name never reads the clock', ({ text }) => {
    expect(code(text)).not.toMatch(/new Date\(\s*\)|Date\.now\(|performance\.now\(/);
  });

  it.each(sources)('$name imports only core modules', ({ text }) => {
    const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const specifier of specifiers) expect(specifier).toMatch(/^\.\.?\//);
  });

  it.each(sources)('$name opens with a header comment', ({ text }) => {
    expect(text.startsWith('/**')).toBe(true);
  });
});
