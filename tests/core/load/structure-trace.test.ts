/**
 * The explain trace of whole-element decisions: removals the main-prose guard refused (with the
 * prose share) and the elements winner growth added to the winner (with why).
 */
import { describe, expect, it } from 'vitest';
import { explainDocument } from '../../../src/core/clean/clean-document.ts';
import { explainCorpus, formatExplanation } from '../../../src/core/corpus/explain-corpus.ts';
import { parseHtml } from '../../../src/core/load/parse-html.ts';
import type { RawDocument } from '../../../src/core/model.ts';

const raw = (body: string): RawDocument => ({
  sourceId: 'page.html',
  file: 'page.html',
  source: 'site',
  format: 'html',
  body,
});

const de =
  'Der Gemeinderat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, nachdem die Fraktionen lange über die Sanierung der Schulen gestritten hatten. ';
const es =
  'El ayuntamiento aprobó el martes el presupuesto del año que viene, después de que los grupos discutieran durante horas sobre la reforma de los colegios. ';

describe('structure trace: main-prose guard', () => {
  it('names the class hint it overruled and the share of the page the element holds (de)', () => {
    const html = `<body><nav><a href="/">Start</a></nav>
      <div class="community-post"><h1>Haushalt beschlossen</h1><p>${de.repeat(3)}</p><p>${de.repeat(2)}</p></div>
      <footer><p>Impressum</p></footer></body>`;
    const doc = parseHtml(raw(html));
    const guard = doc.structure?.find((s) => s.rule === 'main-prose-guard');
    expect(guard).toMatchObject({ subject: 'chrome-class-hint', element: '<div class="community-post">' });
    expect(guard?.share).toBeGreaterThan(0.9);
    expect(guard?.reason).toMatch(/refused: it holds \d+% of the page's prose/);
  });

  it('names a link-heavy widget inside the winner that it kept (show notes, en)', () => {
    const link = (i: number) => `<a href="/e/${i}">episode ${i} with the guest speaker and the notes</a>`;
    const notes = Array.from(
      { length: 14 },
      (_, i) => `${link(i)} and a short remark about what was said in it`,
    ).join(' ');
    const html = `<body><article><p>${'A short introduction to the show notes below, with the usual thanks. '.repeat(2)}</p>
      <div class="notes">${notes}</div></article></body>`;
    const doc = parseHtml(raw(html));
    const widget = doc.structure?.find((s) => s.subject === 'html-widget');
    expect(widget?.element).toBe('<div class="notes">');
    expect(widget?.reason).toMatch(
      /% links \(a link rail\)\); refused: it holds \d+% of the content's own text/,
    );
    expect(doc.dropped ?? []).toEqual([]);
  });

  it('explains a link-dense block the text rules kept, on the block and in the trace', () => {
    const linked = Array.from(
      { length: 24 },
      (_, i) => `<a href="/q/${i}">la fuente número ${i} del informe</a>`,
    ).join(' y ');
    const html = `<body><article><p>${es}</p><p>Según ${linked}, y otras más.</p></article></body>`;
    const { decisions, structure } = explainDocument(parseHtml(raw(html)), { defaultLanguage: 'es' });
    const guard = structure.find((s) => s.subject === 'link-density');
    expect(guard?.element).toMatch(/^text block \d+$/);
    expect(guard?.share).toBeGreaterThanOrEqual(0.5);
    expect(
      decisions.some((d) => d.decision === 'kept' && /main-prose guard refused link-density/.test(d.reason)),
    ).toBe(true);
  });
});

describe('structure trace: winner growth', () => {
  it('lists the headline and the lead that joined the winner, and why (es)', () => {
    const html = `<body><div class="wrap">
      <h1>Presupuesto aprobado</h1>
      <p class="entradilla">El pleno aprueba las cuentas tras una larga sesión.</p>
      <div class="cuerpo"><p>${es.repeat(2)}</p><p>${es.repeat(2)}</p></div>
      </div></body>`;
    const doc = parseHtml(raw(html));
    const grown = (doc.structure ?? []).filter((s) => s.rule === 'winner-growth');
    expect(grown.map((s) => [s.subject, s.element])).toEqual([
      ['headline', '<h1>'],
      ['lead', '<p class="entradilla">'],
    ]);
    expect(grown[0]?.reason).toBe('headline right before the winning container');
  });

  it('shows both kinds in the terminal rendering, before the blocks', () => {
    const html = `<body><div class="wrap"><h1>Haushalt beschlossen</h1>
      <div class="community-post"><p>${de.repeat(3)}</p><p>${de.repeat(2)}</p></div></div></body>`;
    const { explanations } = explainCorpus([raw(html)], 'de');
    const text = formatExplanation(explanations[0] as NonNullable<(typeof explanations)[0]>);
    expect(text).toMatch(/⛨ main-prose-guard chrome-class-hint: <div class="community-post">/);
    expect(text).toMatch(/\+ winner-growth headline: <h1> {2}Haushalt beschlossen/);
    expect(text.indexOf('winner-growth')).toBeLessThan(text.indexOf('  1 '));
  });
});
