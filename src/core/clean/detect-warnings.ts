/**
 * Quality warnings about an article's text: machine-translation artefacts and mojibake.
 * Input: the kept texts (title + blocks). Output: Warning[] (each code at most once).
 *
 * Must not: change the text (a reader may still want the article; the warning travels with it).
 * Patterns live in rules.ts.
 */
import type { Warning } from '../model.ts';
import { MACHINE_TRANSLATION_ARTEFACT, MOJIBAKE_PATTERN } from './rules.ts';

export function detectWarnings(texts: readonly string[]): Warning[] {
  const warnings: Warning[] = [];
  const artefact = texts.find((t) => MACHINE_TRANSLATION_ARTEFACT.test(t));
  if (artefact !== undefined) {
    warnings.push({
      code: 'machine-translation-artefact',
      message: "machine-translation artefact 'XNUMX' (a number lost in translation) found in the text",
    });
  }
  for (const t of texts) {
    const m = MOJIBAKE_PATTERN.exec(t);
    if (m) {
      warnings.push({
        code: 'mojibake',
        message: `mojibake '${m[0]}' (UTF-8 text decoded as Latin-1/Windows-1252) found in the text`,
      });
      break;
    }
  }
  return warnings;
}
