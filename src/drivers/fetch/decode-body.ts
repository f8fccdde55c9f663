/**
 * Response bytes → bytes the core can read: decompresses gzip / deflate / br with an output cap
 * (a small compressed body must not inflate past `maxBytes`: zip bombs), then transcodes text
 * from its declared or sniffed charset (header, BOM, `<meta>`; a false UTF-8 claim falls back to
 * windows-1252) to UTF-8 with iconv-lite, which knows every legacy charset French sites still use.
 *
 * Must not: read more than `maxBytes` of output. Charset rules live in core/text/sniff-charset.ts
 * so the Node and edge paths agree.
 */
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import iconv from 'iconv-lite';
import { chooseCharset, sniffCharset } from '../../core/text/sniff-charset.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/** Thrown when a body cannot be decoded; `code` tells why. */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';
  constructor(
    message: string,
    readonly code: 'too-large' | 'unsupported-encoding' | 'corrupt-encoding',
  ) {
    super(message);
  }
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

/** Undoes Content-Encoding (possibly a list, applied in order) with an output cap. */
export async function decompress(
  bytes: Uint8Array,
  encoding: string | null,
  maxBytes: number,
): Promise<Uint8Array> {
  const codings = (encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity')
    .reverse();
  let out: Uint8Array = bytes;
  const options = { maxOutputLength: maxBytes };
  for (const coding of codings) {
    try {
      if (coding === 'gzip' || coding === 'x-gzip') out = await gunzipAsync(out, options);
      else if (coding === 'br') out = await brotliAsync(out, options);
      else if (coding === 'deflate') {
        // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        out = await inflateAsync(out, options).catch((error: unknown) => {
          if (isTooLarge(error)) throw error;
          return inflateRawAsync(out, options);
        });
      } else {
        throw new BodyDecodeError(`unsupported Content-Encoding "${coding}"`, 'unsupported-encoding');
      }
    } catch (error) {
      if (error instanceof BodyDecodeError) throw error;
      if (isTooLarge(error)) {
        throw new BodyDecodeError(`decompressed body is over the ${maxBytes}-byte limit`, 'too-large');
      }
      throw new BodyDecodeError(`corrupt ${coding} body: ${(error as Error).message}`, 'corrupt-encoding');
    }
  }
  return out;
}

const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(xml|json|xhtml\+xml|javascript)\b)/i;

export interface Transcoded {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** Charset the upstream bytes were in, and how it was found; null for non-text bodies. */
  readonly sourceCharset: string | null;
  readonly charsetFrom: string | null;
}

function withUtf8(contentType: string): string {
  const base = contentType.split(';')[0]?.trim() || 'text/plain';
  return `${base}; charset=utf-8`;
}

/** Transcodes a textual body to UTF-8 and says so in its Content-Type; other bodies pass through. */
export function transcodeToUtf8(bytes: Uint8Array, contentType: string | null): Transcoded {
  const type = contentType ?? '';
  const looksTextual =
    TEXTUAL.test(type) || (type === '' && /^\s*</.test(String.fromCharCode(...bytes.subarray(0, 64))));
  if (!looksTextual) return { bytes, contentType: type, sourceCharset: null, charsetFrom: null };
  const sniffed = sniffCharset(bytes, type);
  const { charset, guessed } = chooseCharset(bytes, sniffed);
  const from = guessed ? 'guessed' : sniffed.from;
  const body = bytes.subarray(sniffed.bomLength);
  if (charset === 'utf-8') {
    return {
      bytes: body,
      contentType: withUtf8(type || 'text/html'),
      sourceCharset: charset,
      charsetFrom: from,
    };
  }
  if (!iconv.encodingExists(charset)) {
    // Unknown label: decode as windows-1252, which never fails and is right most often.
    const text = iconv.decode(Buffer.from(body), 'windows-1252');
    return {
      bytes: new TextEncoder().encode(text),
      contentType: withUtf8(type || 'text/html'),
      sourceCharset: 'windows-1252',
      charsetFrom: 'guessed',
    };
  }
  const text = iconv.decode(Buffer.from(body), charset);
  return {
    bytes: new TextEncoder().encode(text),
    contentType: withUtf8(type || 'text/html'),
    sourceCharset: charset,
    charsetFrom: from,
  };
}
