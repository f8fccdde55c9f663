import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { franc } from 'franc-min';
import { iso6393To1 } from 'iso-639-3';
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import { effectiveLength } from '../../../src/core/clean/classify-block.ts';
import { guessLanguage } from '../../../src/core/clean/guess-language.ts';
import { tidyText } from '../../../src/core/clean/normalise-text.ts';
import { THRESHOLDS } from '../../../src/core/clean/rules.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';
import type { RawDocument, SourceFormat } from '../../../src/core/model.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/clean/', import.meta.url));
const CONTENT = fileURLToPath(new URL('../../../content/', import.meta.url));
const FORMATS: Record<string, SourceFormat> = { txt: 'text', md: 'markdown', html: 'html' };

/** franc's answer as 639-1, the way detect-language.ts maps it (null: undetermined). */
function francLanguage(sample: string): string | null {
  const code3 = franc(sample, { minLength: THRESHOLDS.languageMinChars });
  return code3 === 'und' ? null : (iso6393To1[code3] ?? code3);
}

/** The detector's sample, built as clean-document.ts builds it: leading prose blocks. */
function cleanerSample(raw: RawDocument): string {
  const texts = parseDocument(raw).blocks.map((b) => tidyText(b.text));
  const prose = texts.filter((t) => effectiveLength(t) >= THRESHOLDS.lengthLow);
  let sample = '';
  for (const t of prose.length > 0 ? prose : texts) {
    sample = sample.length === 0 ? t : `${sample}\n${t}`;
    if (sample.length >= THRESHOLDS.languageSampleChars) break;
  }
  return sample.slice(0, THRESHOLDS.languageSampleChars);
}

function fixtureDocuments(): RawDocument[] {
  const docs: RawDocument[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(`${FIXTURES}${dir.name}`)) {
      const format = FORMATS[file.split('.').pop() ?? ''];
      if (!file.startsWith('input') || !format) continue;
      const body = readFileSync(`${FIXTURES}${dir.name}/${file}`, 'utf8');
      docs.push({ sourceId: `${dir.name}/${file}`, file, source: dir.name, format, body });
    }
  }
  for (const file of readdirSync(CONTENT).filter((f) => f.endsWith('.txt'))) {
    const body = readFileSync(`${CONTENT}${file}`, 'utf8');
    docs.push({ sourceId: file, file, source: 'content', format: 'text', body });
  }
  return docs;
}

/** A seed the benchmarks do not use (the thresholds were calibrated on seed 42). */
function generatedDocuments(count: number): RawDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const a = generateArticle(7, i);
    return {
      sourceId: a.path,
      file: a.path,
      source: a.source,
      format: FORMATS[a.format] ?? 'text',
      body: a.body,
    };
  });
}

/** How many documents the guess answers for; each answer must equal franc's. */
function answeredLikeFranc(docs: readonly RawDocument[]): number {
  let answered = 0;
  for (const doc of docs) {
    const sample = cleanerSample(doc);
    const guess = guessLanguage(sample);
    if (guess === null) continue;
    answered++;
    expect({ id: doc.sourceId, lang: guess }).toEqual({ id: doc.sourceId, lang: francLanguage(sample) });
  }
  return answered;
}

describe('guessLanguage', () => {
  it('agrees with franc on every fixture and seed article it answers for', () => {
    const docs = fixtureDocuments();
    expect(docs.length).toBeGreaterThanOrEqual(19);
    const answered = answeredLikeFranc(docs);
    // French seeds, English, German, Polish, Portuguese… fixtures: most are plain enough to answer.
    expect(answered).toBeGreaterThanOrEqual(12);
  });

  it('agrees with franc on generated French and English articles, and answers for nearly all', () => {
    const docs = generatedDocuments(600);
    const answered = answeredLikeFranc(docs);
    // The speed-up depends on it: franc runs only for the rest.
    expect(answered / docs.length).toBeGreaterThan(0.95);
  });

  it('never contradicts franc on texts that switch language part-way', () => {
    const samples = generatedDocuments(120).map(cleanerSample);
    let mixed = 0;
    samples.forEach((a, k) => {
      const b = samples[(k * 7 + 13) % samples.length] ?? '';
      for (const cut of [0.2, 0.35, 0.5, 0.65, 0.8]) {
        const sample = `${a.slice(0, Math.floor(a.length * cut))}\n${b}`.slice(
          0,
          THRESHOLDS.languageSampleChars,
        );
        const guess = guessLanguage(sample);
        if (guess === null) continue;
        mixed++;
        expect({ sample, guess }).toEqual({ sample, guess: francLanguage(sample) });
      }
    });
    expect(mixed).toBeGreaterThan(100);
  });

  it('leaves short, non-Latin, mixed and unlisted-language samples to franc', () => {
    expect(guessLanguage('The cat sat on the mat and then it went to sleep.')).toBeNull();
    expect(
      guessLanguage(
        'Правительство объявило в понедельник, что новая железная дорога откроется в следующем году после долгой задержки, и что билеты будут продаваться заранее.',
      ),
    ).toBeNull();
    // Half English, half French: neither language's function words dominate.
    expect(
      guessLanguage(
        'The minister said that the bridge would be open to the public in the spring of next year. Le ministre a dit que le pont sera ouvert au public au printemps de l’année prochaine.',
      ),
    ).toBeNull();
    // Indonesian and Malay share most function words: franc decides between them.
    expect(
      guessLanguage(
        'Pemerintah mengumumkan pada hari Senin bahwa jalur kereta api yang baru akan dibuka tahun depan, setelah penundaan yang lama karena masalah anggaran dan izin yang belum selesai di daerah itu.',
      ),
    ).toBeNull();
  });

  it('answers for plain prose of an accepted language', () => {
    const en =
      'The city council said on Monday that the new bridge over the river would be open to the public in the spring, after a delay of more than two years. Residents of the area have waited for it since the old one was closed, and many of them had to drive for an hour to reach the other side.';
    const fr =
      'Le conseil municipal a annoncé lundi que le nouveau pont sur la rivière sera ouvert au public au printemps, après un retard de plus de deux ans. Les habitants du quartier l’attendent depuis la fermeture de l’ancien, et beaucoup d’entre eux devaient faire une heure de route pour rejoindre l’autre rive.';
    expect(guessLanguage(en)).toBe('en');
    expect(guessLanguage(fr)).toBe('fr');
    expect(francLanguage(en)).toBe('en');
    expect(francLanguage(fr)).toBe('fr');
  });
});
