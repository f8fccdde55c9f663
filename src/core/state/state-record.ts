/**
 * The state record (`state.json` in the state store): what the last published run was computed
 * from — its settings digests (settings-digest.ts) and the digest of the manifest root it
 * published — and, while the site is empty, when it was emptied (emptied-at.ts). Read at the start of every run (one small object), written after the manifest swap.
 * A run whose settings digests differ, or that finds another root (or none) in the published
 * store, plans every document instead of only the touched ones: the published output and the
 * settings are inputs of every derived document (docs/derived-state.md).
 *
 * Must not: decide what to rebuild (regenerate.ts does), or be written before the swap (a record
 * that names settings the published documents do not carry yet would hide them forever).
 */
import type { Storage } from '../../ports/storage.ts';
import { sha256Hex } from '../digest/hash.ts';
import { MANIFEST_KEY } from '../publish/manifest.ts';
import type { SettingsDigests } from './settings-digest.ts';
import { STATE_RECORD_VERSION } from './state-layout.ts';

export const STATE_RECORD_KEY = 'state.json';

export interface StateRecord {
  readonly settings: SettingsDigests;
  /** Digest of the manifest root bytes the run published; null when it published nothing. */
  readonly publishedRoot: string | null;
  /**
   * When (ms since the epoch) every object the manifest names was last found present with its
   * size (verify-published.ts); null when never. Absent in records written before it existed.
   */
  readonly checkedAt: number | null;
  /**
   * ISO-8601: when the published site was emptied (the `updated` its feeds carry while it has no
   * item, emptied-at.ts); null while it has items. Absent in records written before it existed.
   */
  readonly emptiedAt: string | null;
}

/** The record, or null when there is none or it cannot be used (another version, damaged). */
export async function readStateRecord(state: Storage): Promise<StateRecord | null> {
  const stored = await state.get(STATE_RECORD_KEY);
  if (!stored) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(stored.body)) as {
      v?: unknown;
      settings?: { items?: unknown; documents?: unknown };
      publishedRoot?: unknown;
      checkedAt?: unknown;
      emptiedAt?: unknown;
    };
    const { settings } = value;
    if (
      value.v !== STATE_RECORD_VERSION ||
      typeof settings?.items !== 'string' ||
      typeof settings.documents !== 'string' ||
      (value.publishedRoot !== null && typeof value.publishedRoot !== 'string')
    ) {
      return null;
    }
    return {
      settings: { items: settings.items, documents: settings.documents },
      publishedRoot: value.publishedRoot ?? null,
      checkedAt:
        typeof value.checkedAt === 'number' && Number.isFinite(value.checkedAt) ? value.checkedAt : null,
      emptiedAt:
        typeof value.emptiedAt === 'string' && !Number.isNaN(Date.parse(value.emptiedAt))
          ? value.emptiedAt
          : null,
    };
  } catch {
    return null;
  }
}

export function stateRecordBytes(record: StateRecord): Uint8Array {
  return new TextEncoder().encode(
    `${JSON.stringify({
      v: STATE_RECORD_VERSION,
      settings: record.settings,
      publishedRoot: record.publishedRoot,
      ...(record.checkedAt === null ? {} : { checkedAt: record.checkedAt }),
      ...(record.emptiedAt === null ? {} : { emptiedAt: record.emptiedAt }),
    })}\n`,
  );
}

/** Digest of manifest root bytes, as recorded. */
export async function rootDigest(bytes: Uint8Array): Promise<string> {
  return (await sha256Hex(bytes)).slice(0, 32);
}

/** Digest of the published manifest root's bytes (one read); null when nothing is published. */
export async function publishedRootDigest(published: Storage): Promise<string | null> {
  const root = await published.get(MANIFEST_KEY);
  return root ? rootDigest(root.body) : null;
}
