/**
 * Test helper: loads and cleans the seed articles of content/ the way the pipeline does
 * (one source, repeated blocks learned across it) and shapes them like `kiosque clean --json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import { learnRepeatedBlocks } from '../../../src/core/clean/learn-source-chrome.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';

export const CONTENT_DIR = fileURLToPath(new URL('../../../content/', import.meta.url));

export function cleanSeeds(): unknown[] {
  const files = readdirSync(CONTENT_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const parsed = files.map((file) =>
    parseDocument({
      sourceId: file,
      file,
      source: 'content',
      format: 'text',
      body: readFileSync(`${CONTENT_DIR}${file}`, 'utf8'),
    }),
  );
  const repeated = learnRepeatedBlocks(parsed).get('content') ?? new Set<string>();
  return parsed.map((p) => {
    const c = cleanDocument(p, { defaultLanguage: 'en', repeatedBlocks: repeated });
    return {
      file: p.raw.file,
      title: c.inferred.title,
      lead: c.inferred.lead,
      author: c.inferred.author,
      publisher: c.inferred.publisher,
      language: c.inferred.language,
      blocks: c.blocks.map((b) => ({ kind: b.kind, text: b.text })),
      removed: c.removed,
      warnings: c.warnings,
    };
  });
}
