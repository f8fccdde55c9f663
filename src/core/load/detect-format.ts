/**
 * Source format from a file name's extension.
 * Input: a file name or path. Output: `text`, `markdown`, `html`, or null for anything else.
 *
 * Must not: sniff contents (the extension is the contract for content/ files). No tunables.
 */
import type { SourceFormat } from '../model.ts';

/** Extension (lower-case, without dot) → format. */
const FORMATS: Readonly<Record<string, SourceFormat>> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
};

/** The format a file name declares, or null when kiosque does not load it. */
export function detectFormat(fileName: string): SourceFormat | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return null;
  return FORMATS[base.slice(dot + 1).toLowerCase()] ?? null;
}
