/**
 * Decides which images, videos and audio of an article stay, after its text has been cleaned:
 * a medium stays when it sits next to the article's kept prose or its title (bylines and date
 * lines in between do not count), has a safe absolute address, and is neither page chrome
 * (logo, avatar, share icon, ad, related-article teaser) nor a tracking pixel.
 * Input: the loader's RawMedia + what the cleaner decided for each raw block. Output: MediaBlock[]
 * placed among the body blocks, and one decision per medium (with its rule) for `--explain`.
 *
 * Must not: change any text block's decision (media are judged on the text's result, never the
 * other way round), or hold a pattern or number (rules.ts, "Images and media").
 */
import type { MediaBlock, RawMedia, Warning } from '../model.ts';
import {
  MEDIA_BEACON_PATTERN,
  MEDIA_CHROME_HINT,
  MEDIA_FILE_LINK_PATTERN,
  MEDIA_HASH_TOKEN,
  MEDIA_RULES,
  MEDIA_THRESHOLDS,
} from './rules.ts';

/** What the cleaner made of one raw block, as the media judge sees it. */
export type RawBlockState = 'kept' | 'title' | 'furniture' | 'removed' | 'empty';

/** Removal rules of article furniture a medium may sit behind (bylines, date lines, kickers). */
export const FURNITURE_RULES: ReadonlySet<string> = new Set([
  'byline',
  'date-line',
  'above-title',
  'title-duplicate',
]);

/** One medium and what the judge decided (for `kiosque clean --explain`). */
export interface MediaDecision {
  readonly kind: RawMedia['kind'];
  /** The resolved address, or the address as written when it could not be used. */
  readonly src: string;
  readonly alt?: string;
  readonly decision: 'kept' | 'removed';
  /** `media` when kept, else one of MEDIA_RULES. */
  readonly rule: string;
  readonly reason: string;
  /** Index of the raw block it sits before. */
  readonly at: number;
}

export interface JudgedMedia {
  readonly media: readonly MediaBlock[];
  readonly decisions: readonly MediaDecision[];
  readonly warnings: readonly Warning[];
}

type Verdict = { readonly rule: string; readonly reason: string } | null;

const isContent = (s: RawBlockState | undefined): boolean => s === 'kept' || s === 'title';

/** The nearest block in one direction that is neither empty nor furniture ('removed' at the edge). */
function neighbour(states: readonly RawBlockState[], from: number, step: 1 | -1): RawBlockState {
  for (let i = from; i >= 0 && i < states.length; i += step) {
    const s = states[i];
    if (s !== 'empty' && s !== 'furniture') return s ?? 'removed';
  }
  return 'removed';
}

/** The address's path, lower-cased, with UUIDs and hex digests blanked (they hold no words). */
function pathOf(url: string): string {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    path = url;
  }
  return path.replace(MEDIA_HASH_TOKEN, ' ').toLowerCase();
}

/** The alt text when it is a label (a few words), else '' (a description names what the photo shows). */
function altLabel(alt: string | undefined): string {
  const words = (alt ?? '').trim().split(/\s+/).filter(Boolean);
  return words.length <= MEDIA_THRESHOLDS.altLabelMaxWords ? words.join(' ') : '';
}

/** Rules that judge a medium on its own: address, size, chrome hints. */
function ownVerdict(m: RawMedia): Verdict {
  if (!m.src) {
    const raw = m.rawSrc.trim();
    if (!raw) return { rule: MEDIA_RULES.unsafe, reason: 'no address (a lazy-loading placeholder only)' };
    return { rule: MEDIA_RULES.unsafe, reason: `address ${JSON.stringify(raw.slice(0, 80))} is not http(s)` };
  }
  const { pixelMaxSide, iconMaxSide } = MEDIA_THRESHOLDS;
  if (
    (m.width !== undefined && m.width <= pixelMaxSide) ||
    (m.height !== undefined && m.height <= pixelMaxSide)
  )
    return {
      rule: MEDIA_RULES.pixel,
      reason: `declared ${m.width ?? '?'}×${m.height ?? '?'} px (a tracking pixel)`,
    };
  if (MEDIA_BEACON_PATTERN.test(m.src))
    return { rule: MEDIA_RULES.pixel, reason: 'address of a tracking beacon, analytics pixel or ad server' };
  if (
    m.kind === 'image' &&
    m.width !== undefined &&
    m.height !== undefined &&
    m.width <= iconMaxSide &&
    m.height <= iconMaxSide
  )
    return { rule: MEDIA_RULES.icon, reason: `declared ${m.width}×${m.height} px (an icon or badge)` };
  const hint = MEDIA_CHROME_HINT.exec(m.hints) ?? MEDIA_CHROME_HINT.exec(altLabel(m.alt));
  if (hint)
    return {
      rule: MEDIA_RULES.chrome,
      reason: `class, id or alt names page chrome ("${hint[0].replace(/^[\s_\-/.]/, '')}")`,
    };
  const file = MEDIA_CHROME_HINT.exec(pathOf(m.src));
  if (m.kind === 'image' && file)
    return {
      rule: MEDIA_RULES.chrome,
      reason: `file name names page chrome ("${file[0].replace(/^[\s_\-/.]/, '')}")`,
    };
  return null;
}

/** Rules that judge a medium by its place: next to the kept prose, not a teaser at its edge. */
function placeVerdict(m: RawMedia, states: readonly RawBlockState[]): Verdict {
  if (m.outside)
    return {
      rule: MEDIA_RULES.outside,
      reason:
        'in a region the loader dropped (header, navigation, aside, footer, a chrome class) or outside the article',
    };
  const before = neighbour(states, m.at - 1, -1);
  const after = neighbour(states, m.at + m.span, 1);
  if (!isContent(before) && !isContent(after))
    return { rule: MEDIA_RULES.outside, reason: 'no kept article text or title next to it' };
  if (m.link && !MEDIA_FILE_LINK_PATTERN.test(m.link) && !(isContent(before) && isContent(after)))
    return {
      rule: MEDIA_RULES.teaser,
      reason: 'links to another page, at the edge of the article (a teaser)',
    };
  return null;
}

/** Number of kept body blocks before each raw block index (and after the last). */
function keptOrdinals(states: readonly RawBlockState[]): number[] {
  const out: number[] = [];
  let k = 0;
  for (const s of states) {
    out.push(k);
    if (s === 'kept') k++;
  }
  out.push(k);
  return out;
}

function toMediaBlock(m: RawMedia, src: string, before: number): MediaBlock {
  const { kind, srcset, sources, alt, title, caption, width, height, poster } = m;
  return {
    kind,
    src,
    ...(srcset ? { srcset } : {}),
    ...(sources && sources.length > 0 ? { sources } : {}),
    ...(alt !== undefined ? { alt } : {}),
    ...(title ? { title } : {}),
    ...(caption ? { caption } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    ...(poster ? { poster } : {}),
    before,
  };
}

/** A relative address the loader could not resolve: the page states no base URL. */
const unresolvable = (m: RawMedia): boolean =>
  !m.src && m.rawSrc.trim() !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(m.rawSrc.trim());

/** Judges every medium of one article, in document order (loader-dropped ones last). */
export function judgeMedia(media: readonly RawMedia[], states: readonly RawBlockState[]): JudgedMedia {
  const ordinals = keptOrdinals(states);
  const seen = new Set<string>();
  const kept: MediaBlock[] = [];
  const decisions: MediaDecision[] = [];
  let unresolved = 0;
  for (const m of media) {
    let verdict = ownVerdict(m) ?? placeVerdict(m, states);
    if (!verdict && m.src && seen.has(m.src))
      verdict = { rule: MEDIA_RULES.duplicate, reason: 'same address as an image already kept' };
    if (!verdict && kept.length >= MEDIA_THRESHOLDS.maxPerArticle)
      verdict = {
        rule: MEDIA_RULES.tooMany,
        reason: `more than ${MEDIA_THRESHOLDS.maxPerArticle} media (a gallery)`,
      };
    const base = { kind: m.kind, src: m.src ?? m.rawSrc, ...(m.alt ? { alt: m.alt } : {}), at: m.at };
    if (verdict || !m.src) {
      const v = verdict ?? { rule: MEDIA_RULES.unsafe, reason: 'no usable address' };
      const noBase = v.rule === MEDIA_RULES.unsafe && unresolvable(m);
      if (noBase && !m.outside) unresolved++;
      const reason = noBase
        ? `relative address ${JSON.stringify(m.rawSrc.trim().slice(0, 80))} and no base URL`
        : v.reason;
      decisions.push({ ...base, decision: 'removed', rule: v.rule, reason });
      continue;
    }
    seen.add(m.src);
    kept.push(toMediaBlock(m, m.src, ordinals[m.at] ?? ordinals[ordinals.length - 1] ?? 0));
    decisions.push({
      ...base,
      decision: 'kept',
      rule: 'media',
      reason: 'next to the article text, safe address',
    });
  }
  const warnings: Warning[] =
    unresolved > 0
      ? [
          {
            code: 'media-without-base',
            message: `${unresolved} relative image or media address(es) dropped: no base URL (add url to the metadata)`,
          },
        ]
      : [];
  return { media: kept, decisions, warnings };
}
