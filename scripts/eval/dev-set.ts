/**
 * Reads the Article Extraction Benchmark development set (../shared/eval/aeb-dev by default):
 * ground-truth.json plus html/<id>.html.gz. Input: the folder. Output: pages, or null when absent.
 *
 * Must not: copy pages anywhere (the set is third-party content, read in place for evaluation).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface DevPage {
  readonly id: string;
  readonly url: string;
  readonly html: string;
  readonly expected: string;
}

interface GroundTruth {
  readonly [id: string]: { readonly articleBody?: string; readonly url?: string };
}

export function readDevSet(dir: string): DevPage[] | null {
  const truthPath = join(dir, 'ground-truth.json');
  if (!existsSync(truthPath)) return null;
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as GroundTruth;
  return Object.keys(truth)
    .sort()
    .map((id) => ({
      id,
      url: truth[id]?.url ?? '',
      expected: truth[id]?.articleBody ?? '',
      html: gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`))).toString('utf8'),
    }));
}
