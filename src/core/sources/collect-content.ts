/**
 * Storage (content/) → RawDocument[]: lists the content store, keeps files of a known
 * format, decodes their bytes, attaches sidecar metadata (`<name>.meta.json`) and groups
 * them by source (top-level folder, else `content`). A file that cannot be read is reported
 * and skipped; it never stops the others.
 *
 * Must not: parse or clean (that is load/ and clean/), or read the filesystem directly.
 * Size limit: `MAX_CONTENT_BYTES` below.
 */

import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { decodeDeclaredMarkup } from '../load/decode-markup.ts';
import { detectFormat } from '../load/detect-format.ts';
import { frontMatterProblem } from '../load/front-matter.ts';
import { ARTICLE_STRING_FIELDS, type ArticleMetadata, type RawDocument } from '../model.ts';
import type { ContentFailure } from './content-failure.ts';
import { hiddenSkips } from './content-skips.ts';

/** Larger files are refused: no article is this long, and parsing it would stall the build. */
export const MAX_CONTENT_BYTES = 8 * 1024 * 1024;
const SIDECAR_SUFFIX = '.meta.json';
export const DEFAULT_SOURCE = 'content';

export type { ContentFailure } from './content-failure.ts';

export interface CollectedContent {
  readonly documents: readonly RawDocument[];
  readonly failures: readonly ContentFailure[];
  readonly skipped: readonly ContentFailure[];
}

/**
 * Windows-1252 code points for bytes 0x80–0x9F. WHATWG's TextDecoder maps them this way,
 * but Node 20's decoder treats windows-1252 as ISO-8859-1 and returns C1 controls instead;
 * re-mapping them gives the same text on every runtime.
 */
const CP1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009F]/g, (ch) => CP1252_C1.charAt(ch.charCodeAt(0) - 0x80));
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and bytes that start none. A file that is mostly
 * UTF-8 with a few damaged bytes has many of the first; Latin-1 text has none (é then a space).
 */
function utf8Evidence(bytes: Uint8Array): { multiByte: number; invalid: number } {
  let multiByte = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (!ok) {
      invalid++;
      i++;
    } else {
      if (length > 1) multiByte++;
      i += length;
    }
  }
  return { multiByte, invalid };
}

/**
 * Decodes text: UTF-8 (BOM stripped); UTF-16 with BOM; UTF-8 with a few damaged bytes → UTF-8 with
 * each bad byte shown as U+FFFD (re-reading it as Windows-1252 would garble every accent in it);
 * otherwise Windows-1252, the usual legacy.
 */
export function decodeText(bytes: Uint8Array, markup = false): { text: string; encoding: string } {
  // HTML: a <meta charset> other than UTF-8 is read before the Windows-1252 fallback.
  const declared = markup ? decodeDeclaredMarkup(bytes) : null;
  if (declared) return declared;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
      encoding: 'utf-8',
    };
  } catch {
    const { multiByte, invalid } = utf8Evidence(bytes);
    if (multiByte > 0 && multiByte >= invalid) {
      return {
        text: new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes),
        encoding: `utf-8 with ${invalid} invalid byte(s) replaced by U+FFFD`,
      };
    }
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** C0 controls other than tab, LF, FF and CR: text files have none, binary files many (NUL first). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point.
const BINARY_CONTROLS = /[\u0000-\u0008\u000E-\u001F]/g;
/** Share of control characters above which decoded "text" is taken for binary data. */
const MAX_CONTROL_SHARE = 0.01;

/** Why decoded text is no article (empty, binary), or null when it may be one. */
export function unusableText(text: string): string | null {
  if (text.trim() === '') return 'file is empty (nothing but white space)';
  if (text.includes('\u0000')) return 'file looks like binary data (contains NUL bytes), not text';
  const controls = text.match(BINARY_CONTROLS)?.length ?? 0;
  if (controls > text.length * MAX_CONTROL_SHARE) {
    return `file looks like binary data (${controls} control characters), not text`;
  }
  return null;
}

const STRING_FIELDS = ARTICLE_STRING_FIELDS;

/** Validates a sidecar's JSON into metadata; unknown or mistyped fields are reported. */
export function parseSidecar(text: string, name: string): ArticleMetadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${name}: expected a JSON object of metadata`);
  }
  const input = value as Record<string, unknown>;
  const out: Record<string, string | string[]> = {};
  for (const [key, field] of Object.entries(input)) {
    if ((STRING_FIELDS as readonly string[]).includes(key)) {
      if (typeof field !== 'string') throw new Error(`${name}: "${key}" must be a string`);
      out[key] = field;
    } else if (key === 'tags') {
      if (!Array.isArray(field) || !field.every((t) => typeof t === 'string')) {
        throw new Error(`${name}: "tags" must be an array of strings`);
      }
      out.tags = field;
    } else {
      throw new Error(
        `${name}: unknown metadata field "${key}" (known: ${[...STRING_FIELDS, 'tags'].join(', ')})`,
      );
    }
  }
  return out as ArticleMetadata;
}

/** The source a content key belongs to: its top-level folder, else DEFAULT_SOURCE. */
export function sourceOf(key: string): string {
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : DEFAULT_SOURCE;
}

/** The sidecar keys an article may have, in the order they are looked for. */
export function sidecarCandidates(key: string): readonly string[] {
  return [key.replace(/\.[^./]+$/, SIDECAR_SUFFIX), key + SIDECAR_SUFFIX];
}

export function isSidecar(key: string): boolean {
  return key.endsWith(SIDECAR_SUFFIX);
}

/** Files and folders whose name starts with a dot are never content (editor and VCS files). */
export function isHidden(key: string): boolean {
  // A segment starts with a dot exactly when the key does or a dot follows a slash.
  return key.startsWith('.') || key.includes('/.');
}

export type ContentFormat = NonNullable<ReturnType<typeof detectFormat>>;

/** A content file as read: the document, and the size/mtime of it and its sidecar as read. */
export interface ReadContent {
  readonly raw: RawDocument;
  readonly size: number;
  readonly modified?: Date;
  readonly sidecar?: { readonly key: string; readonly size: number; readonly modified?: Date };
}

/**
 * One content file → its RawDocument, or why it failed (null when it no longer exists).
 * `sidecars`: the sidecar keys known to exist (from a listing), or `'probe'` to try each candidate.
 */
export async function readContentFile(
  storage: Storage,
  key: string,
  format: ContentFormat,
  sidecars: ReadonlySet<string> | 'probe',
  logger: Logger,
): Promise<ReadContent | ContentFailure | null> {
  try {
    const object = await storage.get(key);
    if (!object) return null;
    if (object.body.byteLength > MAX_CONTENT_BYTES) {
      throw new Error(`file is ${object.body.byteLength} bytes, over the ${MAX_CONTENT_BYTES}-byte limit`);
    }
    const { text, encoding } = decodeText(object.body, format === 'html');
    const unusable = unusableText(text);
    if (unusable) throw new Error(unusable);
    if (encoding !== 'utf-8') logger.warn(`content file is not UTF-8; decoded as ${encoding}`, { file: key });
    const frontMatter = format === 'html' ? null : frontMatterProblem(text);
    if (frontMatter) logger.warn(`content file has broken front matter: ${frontMatter}`, { file: key });
    let metadata: ArticleMetadata | undefined;
    let sidecarRead: ReadContent['sidecar'];
    for (const sidecarKey of sidecarCandidates(key)) {
      if (sidecars !== 'probe' && !sidecars.has(sidecarKey)) continue;
      const sidecar = await storage.get(sidecarKey);
      if (!sidecar) continue;
      metadata = parseSidecar(decodeText(sidecar.body).text, sidecarKey);
      sidecarRead = {
        key: sidecarKey,
        size: sidecar.body.byteLength,
        ...(sidecar.modified ? { modified: sidecar.modified } : {}),
      };
      break;
    }
    return {
      raw: {
        sourceId: key,
        file: key.split('/').pop() ?? key,
        source: sourceOf(key),
        format,
        body: text,
        ...(metadata ? { metadata } : {}),
      },
      size: object.body.byteLength,
      ...(object.modified ? { modified: object.modified } : {}),
      ...(sidecarRead ? { sidecar: sidecarRead } : {}),
    };
  } catch (error) {
    const message = (error as Error).message;
    logger.error('content file failed to load', { file: key, error: message });
    return { sourceId: key, message };
  }
}

export const UNKNOWN_EXTENSION = 'unknown extension: expected .txt, .md or .html';

/** A listing of the content store → its articles (in listing order), sidecars and skipped files. */
export function sortContentKeys(
  keys: readonly string[],
  logger: Logger,
): {
  articles: { key: string; format: ContentFormat }[];
  sidecars: Set<string>;
  skipped: ContentFailure[];
} {
  const visible = keys.filter((key) => !isHidden(key));
  const sidecars = new Set(visible.filter(isSidecar));
  const skipped: ContentFailure[] = visible.length === keys.length ? [] : hiddenSkips(keys, logger);
  const articles: { key: string; format: ContentFormat }[] = [];
  for (const key of visible) {
    if (sidecars.has(key)) continue;
    const format = detectFormat(key);
    if (!format) {
      skipped.push({ sourceId: key, message: UNKNOWN_EXTENSION });
      logger.warn('content file skipped: unknown extension', { file: key });
      continue;
    }
    articles.push({ key, format });
  }
  return { articles, sidecars, skipped };
}

/**
 * Reads every article of the content store, IO_CONCURRENCY files at a time (results keep the
 * listing's order, so the run is deterministic whatever order the reads finish in).
 */
export async function collectContent(storage: Storage, logger: Logger): Promise<CollectedContent> {
  const { articles, sidecars, skipped } = sortContentKeys(await storage.list(''), logger);
  const read = await mapConcurrent(articles, IO_CONCURRENCY, ({ key, format }) =>
    readContentFile(storage, key, format, sidecars, logger),
  );
  const documents: RawDocument[] = [];
  const failures: ContentFailure[] = [];
  for (const result of read) {
    if (result === null) continue;
    if ('raw' in result) documents.push(result.raw);
    else failures.push(result);
  }
  return { documents, failures, skipped };
}
