/**
 * The loader's part of the explain trace: one StructureDecision per removal the main-prose guard
 * refused and per element winner growth added, naming the element and previewing its text.
 * Input: a domhandler element and the decision's facts. Output: a StructureDecision.
 *
 * Must not: decide anything (prune-html.ts, score-containers.ts, grow-winner.ts do) or mutate
 * the DOM. No tunables beyond the preview length below.
 */
import type { Element } from 'domhandler';
import { guardReason } from '../clean/main-prose-guard.ts';
import type { StructureDecision } from '../model.ts';
import { rawText, tidy } from './html-dom.ts';

/** Longest text preview a decision carries: the blocks carry the full text. */
const PREVIEW_CHARS = 200;

/** `<div class="share-box" id="x">`: the element as a reader finds it in the page source. */
export function describeElement(el: Element): string {
  const c = el.attribs.class ? ` class="${tidy(el.attribs.class)}"` : '';
  const id = el.attribs.id ? ` id="${el.attribs.id}"` : '';
  return `<${el.name}${c}${id}>`;
}

function preview(el: Element): string {
  const text = tidy(rawText(el));
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/** A removal by `wanted` that the main-prose guard refused. */
export function guardDecision(
  el: Element,
  wanted: string,
  why: string,
  share: number,
  of: string,
): StructureDecision {
  return {
    rule: 'main-prose-guard',
    element: describeElement(el),
    text: preview(el),
    subject: wanted,
    share: Math.round(share * 100) / 100,
    reason: guardReason(wanted, why, share, of),
  };
}

/** An element winner growth added to the winning container. */
export function growthDecision(el: Element, subject: string, reason: string): StructureDecision {
  return { rule: 'winner-growth', element: describeElement(el), text: preview(el), subject, reason };
}
