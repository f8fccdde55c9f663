/**
 * The `kiosque clean --explain` view: every candidate block of each document with its decision
 * (kept/removed), kind, signals and reason, cleaned exactly as the pipeline cleans (chrome
 * repeated across a source is learned first, as in cleanCorpus).
 * Input: RawDocument[] + default language. Output: one Explanation per document (or a failure),
 * and a plain-text rendering for terminals.
 *
 * Must not: touch files or the clock (the CLI reads files). No tunables (the cleaner's are in rules.ts).
 */
import { type BlockDecision, explainDocument } from '../clean/clean-document.ts';
import type { MediaDecision } from '../clean/judge-media.ts';
import type { RawDocument, StructureDecision } from '../model.ts';
import { escapeControl } from '../report/escape-control.ts';
import { prepareCorpus } from './prepare-corpus.ts';

export interface Explanation {
  readonly file: string;
  readonly language: string;
  readonly title: string | null;
  readonly kept: number;
  readonly removed: number;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly decisions: readonly BlockDecision[];
  /** Images, video and audio of the article area, each kept or removed by a named rule. */
  readonly media: readonly MediaDecision[];
  /** Removals the main-prose guard refused, and what winner growth added to the winner. */
  readonly structure: readonly StructureDecision[];
  /** Set when this file is a copy of another file's story: the file published instead. */
  readonly foldedInto?: string;
}

export interface ExplainedCorpus {
  readonly explanations: readonly Explanation[];
  readonly failures: readonly { readonly sourceId: string; readonly message: string }[];
}

export function explainCorpus(raws: readonly RawDocument[], defaultLanguage: string): ExplainedCorpus {
  const corpus = prepareCorpus(raws, defaultLanguage);
  const fileOf = new Map(corpus.parsed.map((doc) => [doc.raw.sourceId, doc.raw.file]));
  const explanations = corpus.parsed.map((doc): Explanation => {
    const { document, decisions, media, structure } = explainDocument(doc, corpus.optionsFor(doc));
    const into = corpus.folded.get(doc.raw.sourceId);
    return {
      file: doc.raw.file,
      language: document.inferred.language ?? defaultLanguage,
      title: document.metadata.title ?? document.inferred.title ?? null,
      kept: decisions.filter((d) => d.decision === 'kept').length,
      removed: decisions.filter((d) => d.decision === 'removed').length,
      warnings: document.warnings,
      decisions,
      media,
      structure,
      ...(into !== undefined ? { foldedInto: fileOf.get(into) ?? into } : {}),
    };
  });
  return { explanations, failures: corpus.failures };
}

const PREVIEW_CHARS = 90;

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

function signals(d: BlockDecision): string {
  const s = d.score;
  const sw = s.stopwordDensity === null ? '–' : s.stopwordDensity.toFixed(2);
  return `${s.class.padEnd(9)} ${String(s.chars).padStart(5)}c links ${s.linkDensity.toFixed(2)} stop ${sw}`;
}

/** A terminal rendering: one line per block (✓ kept / ✗ removed), then its reason indented. */
export function formatExplanation(e: Explanation): string {
  const lines = [
    `== ${e.file} [${e.language}] ${e.title ?? ''}`.trimEnd(),
    `   ${e.kept} kept, ${e.removed} removed`,
  ];
  if (e.foldedInto !== undefined) {
    lines.push(`  ≡ story-fold: folded into ${e.foldedInto}`);
    lines.push(
      '      the same story (article text) as that file, which states more metadata or comes first by path: not published, its blocks count as no chrome',
    );
  }
  // Whole-element decisions first: they explain why some blocks below exist at all.
  for (const s of e.structure) {
    const mark = s.rule === 'winner-growth' ? '+' : '⛨';
    lines.push(`  ${mark} ${s.rule} ${s.subject}: ${s.element}  ${preview(s.text)}`);
    lines.push(`      ${s.reason}`);
  }
  e.decisions.forEach((d, i) => {
    const mark = d.decision === 'kept' ? '✓' : '✗';
    lines.push(`${String(i + 1).padStart(3)} ${mark} ${d.kind.padEnd(9)} ${signals(d)}  ${preview(d.text)}`);
    lines.push(`      ${d.decision === 'kept' ? 'kept' : `removed by ${d.rule}`}: ${d.reason}`);
  });
  for (const m of e.media) {
    const mark = m.decision === 'kept' ? '✓' : '✗';
    const alt = m.alt ? ` "${preview(m.alt)}"` : '';
    lines.push(
      `  ${mark} ${m.kind.padEnd(9)} ${m.at < 0 ? 'outside the article' : `at raw block ${m.at}`}  ${preview(m.src)}${alt}`,
    );
    lines.push(`      ${m.decision === 'kept' ? 'kept' : `removed by ${m.rule}`}: ${m.reason}`);
  }
  for (const w of e.warnings) lines.push(`  ! ${w.code}: ${w.message}`);
  // File names and text are untrusted: escaped so none can forge a line or drive the terminal.
  return `${lines.map(escapeControl).join('\n')}\n`;
}
