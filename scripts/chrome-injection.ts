/**
 * Plain-text chrome-injection dev set: wraps hand-written articles (scripts/eval/
 * chrome-injection-articles.ts; 7 languages, a news story and a list-style piece each) in
 * chrome lines drawn from that language's head and tail pools, cleans every variant as a `.txt`
 * article, and reports the share of chrome lines removed and of article lines kept (the title
 * counts as kept when it becomes the inferred title).
 *
 * Variants (deterministic, seeded): which head/tail lines appear, whether the head chrome is glued
 * to the title without blank lines, and whether list items are glued into one block.
 *
 * Usage: node --import tsx scripts/chrome-injection.ts [--variants 12] [--seed 7] [--verbose] [--write DIR]
 * Must not: read the clock or Math.random.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanDocument } from '../src/core/clean/clean-document.ts';
import { tidyText } from '../src/core/clean/normalise-text.ts';
import { parseDocument } from '../src/core/load/parse-document.ts';
import { INJECTION_LANGUAGES } from './eval/chrome-injection-articles.ts';
import { createRandom } from './generate-corpus.ts';

const { values } = parseArgs({
  options: {
    variants: { type: 'string', default: '12' },
    seed: { type: 'string', default: '7' },
    verbose: { type: 'boolean', default: false },
    /** Also write every variant to this folder (to inspect one with `kiosque clean FILE --explain`). */
    write: { type: 'string' },
  },
});

const pick = (lines: readonly string[], rand: () => number, share: number): string[] =>
  lines.filter(() => rand() < share);

interface Tally {
  chrome: number;
  chromeRemoved: number;
  article: number;
  articleKept: number;
}
const tally = (): Tally => ({ chrome: 0, chromeRemoved: 0, article: 0, articleKept: 0 });

const total = tally();
const perLang = new Map<string, Tally>();
const variants = Number(values.variants);
const rand = createRandom(Number(values.seed));

for (const { lang, articles, head, tail } of INJECTION_LANGUAGES) {
  const t = tally();
  perLang.set(lang, t);
  articles.forEach((article, a) => {
    for (let v = 0; v < variants; v++) {
      const [title = '', ...body] = article;
      const heads = pick(head, rand, 0.6);
      const tails = pick(tail, rand, 0.6);
      const glueHead = rand() < 0.4;
      const glueList = a === 1 && rand() < 0.4;
      const headPart = glueHead ? [[...heads, title].join('\n')] : [...heads, title];
      const bodyPart = glueList
        ? [body[0] ?? '', body.slice(1, -1).join('\n'), body[body.length - 1] ?? '']
        : body;
      const text = [...headPart, ...bodyPart, ...tails].filter((s) => s.length > 0).join('\n\n');
      if (values.write) {
        mkdirSync(values.write, { recursive: true });
        writeFileSync(join(values.write, `${lang}-${a}-${v}.txt`), `${text}\n`);
      }
      const parsed = parseDocument({
        sourceId: `${lang}-${a}-${v}.txt`,
        file: `${lang}-${a}-${v}.txt`,
        source: `${lang}-${a}-${v}`,
        format: 'text',
        body: `${text}\n`,
      });
      const doc = cleanDocument(parsed, { defaultLanguage: 'en' });
      const kept = new Set<string>();
      for (const b of doc.blocks) {
        kept.add(tidyText(b.text));
        for (const item of b.items ?? []) kept.add(tidyText(item));
        for (const line of b.text.split('\n')) kept.add(tidyText(line));
      }
      const isKept = (line: string): boolean => kept.has(tidyText(line));
      // Glued list items come out as one paragraph: an article line is kept when a block holds it.
      const texts = [...kept];
      const isHeld = (line: string): boolean => isKept(line) || texts.some((t) => t.includes(tidyText(line)));
      const titleOk = doc.inferred.title === tidyText(title) || isKept(title);
      t.article += 1 + body.length;
      t.articleKept += (titleOk ? 1 : 0) + body.filter(isHeld).length;
      const chrome = [...heads, ...tails];
      const leaked = chrome.filter((c) => isKept(c) || doc.inferred.title === tidyText(c));
      t.chrome += chrome.length;
      t.chromeRemoved += chrome.length - leaked.length;
      if (values.verbose) {
        const lost = [
          ...(titleOk ? [] : [`TITLE ${title} → ${doc.inferred.title}`]),
          ...body.filter((l) => !isHeld(l)),
        ];
        for (const l of lost) console.log(`${lang}-${a}-${v} lost: ${l}`);
        for (const l of leaked) console.log(`${lang}-${a}-${v} leaked: ${l}`);
      }
    }
  });
  for (const k of Object.keys(total) as (keyof Tally)[]) total[k] += t[k];
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
console.log('| lang | chrome lines | removed | article lines | kept |');
console.log('|---|---:|---:|---:|---:|');
for (const [lang, t] of [...perLang, ['all', total] as const]) {
  console.log(
    `| ${lang} | ${t.chrome} | ${pct(t.chromeRemoved, t.chrome)} | ${t.article} | ${pct(t.articleKept, t.article)} |`,
  );
}
