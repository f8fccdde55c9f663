/**
 * A small Markdown article that passes cleaning (two prose paragraphs), for tests that need a
 * few distinct items: the title opens the first paragraph, so every article's text differs.
 *
 * Must not: vary anything but the title and the extra front-matter lines it is given.
 */

/** Front matter `title:` then `extraFront` lines, then two paragraphs. */
export function markdownArticle(title: string, extraFront: readonly string[] = []): string {
  return [
    '---',
    `title: ${title}`,
    ...extraFront,
    '---',
    '',
    `${title}: le conseil municipal a voté mardi soir un budget pour la rénovation des écoles du quartier nord.`,
    '',
    'Les travaux commenceront au printemps et dureront deux ans, selon la mairie, qui promet des classes neuves.',
    '',
  ].join('\n');
}
