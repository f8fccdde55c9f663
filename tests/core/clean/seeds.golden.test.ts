/**
 * Golden test: the five seed articles of content/ cleaned end to end, compared with
 * tests/fixtures/clean/seeds.expected.json.
 *
 * When a rule change is intended, refresh the golden file and review its diff:
 *   UPDATE_GOLDEN=1 npx vitest run tests/core/clean/seeds.golden.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanSeeds } from './clean-seeds.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/clean/seeds.expected.json', import.meta.url));

describe('seed articles (golden)', () => {
  it('clean exactly as recorded in seeds.expected.json', () => {
    const actual = cleanSeeds();
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('meet the acceptance expectations of the seeds (spot checks)', () => {
    const items = cleanSeeds() as {
      file: string;
      title: string;
      author?: string;
      publisher?: string;
      language: string;
    }[];
    expect(items.map((i) => i.language)).toEqual(['fr', 'fr', 'fr', 'fr', 'fr']);
    expect(items[2]?.publisher).toBe('RT');
    expect(items[3]?.author).toBe('Chloé');
    expect(items[4]?.title.length).toBeLessThanOrEqual(120);
  });
});
