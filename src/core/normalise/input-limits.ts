/**
 * Input limits: the one table of how much of an item's metadata is published. Every field a
 * source states is bounded here, so what a build writes grows with what it reads, never faster:
 * without them one 24 KB Markdown file with 5,000 tags made 20,010 documents (2.7 GB), one
 * upstream entry with 3,000 categories 1.1 GB, and a 3.9 M-character title was copied whole into
 * every feed and page (issue 24).
 *
 * What happens past a limit, once, in normalise (to-feed-item.ts) or the upstream parser: the
 * value is cut (text, at a word, with an ellipsis) or the extra entries are dropped, and the item
 * carries a `field-limit` warning naming the source, the field and the limit (logged by the build).
 *
 * Not configurable on purpose: each limit sits far above what a real article uses, and a setting
 * would only let a single input again multiply the output. Must not: hold behaviour.
 */
export const INPUT_LIMITS = {
  /** Tags kept per item (explicit first, then derived); the rest dropped. A topic feed costs 4 documents. */
  tagsPerItem: 20,
  /** Longest tag kept, in characters; a longer "tag" is dropped (it names no topic anyone follows). */
  tagChars: 100,
  /** Longest title, in characters; cut at a word with an ellipsis (headlines run 60–120). */
  titleChars: 300,
  /** Longest lead/summary, in characters; cut at a word (a derived lead is already ≤ 300). */
  leadChars: 1000,
  /** Longest author or publisher name, in characters; cut at a word. */
  nameChars: 200,
  /** Entries read from one upstream feed (the source's own `limit` is at most 1000 too). */
  itemsPerUpstreamFeed: 1000,
} as const;

/** Warning code of an item whose field was cut or dropped by INPUT_LIMITS. */
export const FIELD_LIMIT = 'field-limit';
