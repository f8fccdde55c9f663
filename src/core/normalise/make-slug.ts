/**
 * Permalink slugs: `/articles/<slug>` from the source's own name (file name without
 * extension, or the URL's last path segment), folded to lowercase ASCII letters, digits and
 * dashes. Collisions are resolved by the caller with `withSuffix`.
 *
 * Must not: use the title (titles change; permalinks must not).
 */

const MAX_SLUG_LENGTH = 80;

function withoutExtension(name: string): string {
  return name.replace(/\.[A-Za-z0-9]{1,10}$/, '');
}

/** A URL-safe slug for a source reference (`news/2024/élection.md` → `election`). */
export function makeSlug(sourceId: string): string {
  let name: string;
  try {
    const url = new URL(sourceId);
    const segment = url.pathname.split('/').filter(Boolean).pop();
    name = segment ? withoutExtension(segment) : url.hostname;
  } catch {
    name = withoutExtension(sourceId.split('/').filter(Boolean).pop() ?? sourceId);
  }
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** `slug` made unique against `taken` by appending `-2`, `-3`, … */
export function withSuffix(slug: string, taken: ReadonlySet<string>): string {
  for (const candidate of slugCandidates(slug)) if (!taken.has(candidate)) return candidate;
  throw new Error('unreachable: slug candidates never end');
}

/** `slug`, then `slug-2`, `slug-3`, …: the order withSuffix tries (for callers that check a store). */
export function* slugCandidates(slug: string): Generator<string, never> {
  yield slug;
  for (let n = 2; ; n++) yield `${slug}-${n}`;
}
