/**
 * Reads the repo's own fixture cases (tests/fixtures/clean/<case>/): input.{txt,md,html},
 * expected.json (keep/remove lists, language) and expected.txt (the whole expected body, one
 * block per paragraph) used for the shingle metric.
 * Input: the fixtures folder. Output: cases with their expected body text and language.
 *
 * Must not: clean anything (eval.ts does).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat } from '../../src/core/load/detect-format.ts';
import type { SourceFormat } from '../../src/core/model.ts';

export interface FixtureCase {
  readonly name: string;
  readonly file: string;
  readonly format: SourceFormat;
  readonly body: string;
  /** Expected body text; null when the case has no expected.txt (it is then skipped by the metric). */
  readonly expected: string | null;
  readonly language: string | null;
}

export function readFixtureCases(dir: string): FixtureCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((name): FixtureCase[] => {
      const folder = join(dir, name);
      const file = readdirSync(folder).find((f) => f.startsWith('input.'));
      const format = file ? detectFormat(file) : null;
      if (!file || !format) return [];
      const expectedPath = join(folder, 'expected.txt');
      const meta = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as { language?: string };
      return [
        {
          name,
          file,
          format,
          body: readFileSync(join(folder, file), 'utf8'),
          expected: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : null,
          language: meta.language ?? null,
        },
      ];
    });
}
