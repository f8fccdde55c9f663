/**
 * Splits YAML front matter (`---` … `---` at the very top) from a text or Markdown body.
 * Input: the raw body. Output: the parsed record (empty when absent or not a mapping) and the rest.
 *
 * Must not: throw on malformed YAML (an article with broken front matter still loads; its
 * front matter is then treated as absent and left in the body for the reader to notice).
 */
import { parse } from 'yaml';

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export interface FrontMatterSplit {
  readonly data: Readonly<Record<string, unknown>>;
  readonly body: string;
}

/**
 * Why a front matter block at the top of `text` is not used, or null (none, or a usable one).
 * The pipeline logs it with the file name; splitFrontMatter then keeps the block as body text.
 */
export function frontMatterProblem(text: string): string | null {
  const match = FRONT_MATTER.exec(text);
  if (!match) return null;
  try {
    const data: unknown = parse(match[1] ?? '');
    if (data === null || (typeof data === 'object' && !Array.isArray(data))) return null;
    return 'front matter is not a YAML mapping; kept as body text';
  } catch (error) {
    const first = ((error as Error).message.split('\n')[0] ?? '').slice(0, 200);
    return `front matter is not valid YAML (${first}); kept as body text`;
  }
}

export function splitFrontMatter(text: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { data: {}, body: text };
  try {
    const data: unknown = parse(match[1] ?? '');
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      return { data: data as Record<string, unknown>, body: text.slice(match[0].length) };
    }
    // An empty front matter block is still front matter.
    if (data === null) return { data: {}, body: text.slice(match[0].length) };
  } catch {
    // Malformed YAML: fall through and keep the text as body.
  }
  return { data: {}, body: text };
}
