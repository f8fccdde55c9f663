/**
 * Every entry of a cursor-paged listing (Workers KV `list`, R2 `list`): asks page after page
 * until the binding says the listing is complete, and returns the entries sorted by key (as the
 * drivers sorted them before: JavaScript string order).
 *
 * Must not: know either binding's page shape (each driver reads its own page into entries and the
 * next cursor), or retry: a failed page rejects the whole listing.
 */
export interface ListedPage<T> {
  readonly entries: readonly T[];
  /** The cursor of the next page; undefined when this page was the last. */
  readonly cursor: string | undefined;
}

/** What both bindings' `list` take: the prefix, a page size and the cursor of the page wanted. */
export interface ListOptions {
  readonly prefix: string;
  readonly limit: number;
  readonly cursor?: string;
}

export async function listAllPages<T extends { readonly key: string }>(
  query: { readonly prefix: string; readonly limit: number },
  page: (options: ListOptions) => Promise<ListedPage<T>>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const listed = await page({ ...query, ...(cursor ? { cursor } : {}) });
    out.push(...listed.entries);
    cursor = listed.cursor;
  } while (cursor);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
