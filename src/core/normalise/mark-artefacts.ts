/**
 * Machine-translation artefacts in what a reader sees: an item's content HTML or plain text →
 * the same with every `XNUMX` (a number the translation engine lost, MACHINE_TRANSLATION_ARTEFACT
 * in clean/rules.ts) visibly marked, in the item's language: `<mark>XNUMX [nombre perdu par la
 * traduction automatique]</mark>`. The number cannot be recovered; the sentence stays (the
 * rest of it is still worth reading, and the seed acceptance keeps the cleaned block as found)
 * but is not published as if it were fine. The item is also listed on /status with the warning.
 *
 * Must not: touch the cleaned blocks (the clean stage's output, `kiosque clean --json`, keeps the
 * text as found), or mark anything but the exact token.
 * Tunables: the wording (i18n `lostNumber`).
 */
import { MACHINE_TRANSLATION_ARTEFACT } from '../clean/rules.ts';
import { localeFor } from '../render/i18n/translate.ts';

const ALL = new RegExp(MACHINE_TRANSLATION_ARTEFACT.source, 'gu');

export function markArtefactsInHtml(html: string, language: string): string {
  if (!MACHINE_TRANSLATION_ARTEFACT.test(html)) return html;
  const note = localeFor(language).t.lostNumber;
  return html.replace(ALL, (token) => `<mark>${token} [${note}]</mark>`);
}

export function markArtefactsInText(text: string, language: string): string {
  if (!MACHINE_TRANSLATION_ARTEFACT.test(text)) return text;
  const note = localeFor(language).t.lostNumber;
  return text.replace(ALL, (token) => `${token} [${note}]`);
}
