/**
 * One scope's members (the site, a tag or a publisher) in feed order, kept in state as chunks of
 * compact rows (`site-index/chunks/<id>.json`) so a run that changes one item reads and rewrites
 * one chunk of each scope it touches, never the whole list: 100,000 members are ~100 chunks.
 *
 * Chunks are copy-on-write: a chunk changed in a run gets a new id (staged in ChunkStore, written
 * before the index head that names it; the old file is deleted after), so a run that dies midway
 * leaves the stored head naming complete chunks. Positions are newest-first (0 = the newest
 * member), the way feeds list items; chunk boundaries are found from each chunk's last member.
 *
 * Must not: read the clock; load a chunk it does not need; reorder members (the caller inserts
 * each member at its feed-order place). Tunables: MAX_CHUNK, FILL_CHUNK.
 */
import type { Storage } from '../../ports/storage.ts';
import { DamagedStateError } from './damaged-state.ts';
import { compareEntries, type OrderKey } from './item-order.ts';

/** What a scope's documents read of a member: order keys, `updated`, and the body's digest. */
export interface ScopeMember extends OrderKey {
  readonly updated: string;
  readonly digest: string;
}

/** A chunk splits in two above this many members (≈ 100 KB of JSON). */
export const MAX_CHUNK = 1024;
/** A list built from scratch fills chunks to this size, leaving room to grow without a split. */
export const FILL_CHUNK = 512;

export const CHUNK_PREFIX = 'site-index/chunks/';

type MemberRow = [string, string, string, string, string];
/** [chunk id, member count, last member's published, id, source id] */
export type StoredChunkRef = [number, number, string, string, string];

interface ChunkRef {
  readonly id: number;
  readonly n: number;
  readonly last: OrderKey;
}

export function chunkKey(id: number): string {
  return `${CHUNK_PREFIX}${id.toString(36)}.json`;
}

/** Loads, stages and retires chunks for every scope of one index, one run at a time. */
export interface ChunkStore {
  load(id: number): Promise<ScopeMember[]>;
  /** A new chunk id holding these members, written by `flush`. */
  stage(members: ScopeMember[]): number;
  /** Whether this id was staged in this run (then it may be changed in place). */
  isStaged(id: number): boolean;
  /** Replace a staged chunk's members (same id). */
  restage(id: number, members: ScopeMember[]): void;
  /** This chunk is no longer named (deleted after the head is written). */
  retire(id: number): void;
  /** Writes the staged chunks; returns the retired keys for the caller to delete after its head. */
  flush(): Promise<string[]>;
  /** The next id to allocate (persisted in the head). */
  readonly next: number;
  /** Chunk sizes (MAX_CHUNK, FILL_CHUNK unless a test shrinks them). */
  readonly limits: ChunkLimits;
}

export interface ChunkLimits {
  /** A chunk splits in two above this many members. */
  readonly max: number;
  /** A list built from scratch fills chunks to this size. */
  readonly fill: number;
}

function toRow(m: ScopeMember): MemberRow {
  return [m.sourceId, m.id, m.published, m.updated, m.digest];
}

function fromRows(value: unknown, key: string): ScopeMember[] {
  if (!Array.isArray(value)) throw new DamagedStateError(`site index chunk ${key} is not an array`);
  return value.map((row: unknown) => {
    if (!Array.isArray(row) || row.length !== 5 || !row.every((v) => typeof v === 'string')) {
      throw new DamagedStateError(`site index chunk ${key} has a malformed row`);
    }
    const [sourceId, id, published, updated, digest] = row as MemberRow;
    return { sourceId, id, published, updated, digest };
  });
}

export function createChunkStore(
  state: Storage,
  next: number,
  write: (key: string, body: Uint8Array) => Promise<void>,
  limits: ChunkLimits = { max: MAX_CHUNK, fill: FILL_CHUNK },
): ChunkStore {
  const loaded = new Map<number, Promise<ScopeMember[]>>();
  const staged = new Map<number, ScopeMember[]>();
  const retired = new Set<number>();
  let nextId = next;
  return {
    load(id) {
      const members = staged.get(id);
      if (members) return Promise.resolve(members);
      let pending = loaded.get(id);
      if (!pending) {
        const key = chunkKey(id);
        pending = state.get(key).then((stored) => {
          if (!stored) throw new DamagedStateError(`site index chunk ${key} is missing`);
          let rows: unknown;
          try {
            rows = JSON.parse(new TextDecoder().decode(stored.body));
          } catch {
            throw new DamagedStateError(`site index chunk ${key} is not JSON`);
          }
          return fromRows(rows, key);
        });
        loaded.set(id, pending);
      }
      return pending;
    },
    stage(members) {
      const id = nextId++;
      staged.set(id, members);
      return id;
    },
    isStaged: (id) => staged.has(id),
    restage(id, members) {
      staged.set(id, members);
    },
    retire(id) {
      if (staged.delete(id)) return;
      retired.add(id);
      loaded.delete(id);
    },
    async flush() {
      const encoder = new TextEncoder();
      const writes = [...staged].map(([id, members]) => ({
        key: chunkKey(id),
        body: encoder.encode(JSON.stringify(members.map(toRow))),
      }));
      // Sequential batches keep a first build's ~thousands of chunk writes bounded.
      for (let i = 0; i < writes.length; i += 16) {
        await Promise.all(writes.slice(i, i + 16).map((w) => write(w.key, w.body)));
      }
      for (const [id, members] of staged) loaded.set(id, Promise.resolve(members));
      staged.clear();
      const keys = [...retired].map(chunkKey);
      retired.clear();
      return keys;
    },
    get next() {
      return nextId;
    },
    limits,
  };
}

/** A scope's ordered members over chunks; every position is newest-first. */
export interface ScopeList {
  readonly count: number;
  /** Members at positions [start, end). */
  range(start: number, end: number): Promise<ScopeMember[]>;
  /** Inserts at its feed-order place; returns its position. */
  insert(member: ScopeMember): Promise<number>;
  /** Removes the member with this order key; returns the position it had, or null if absent. */
  remove(key: OrderKey): Promise<number | null>;
  /** Replaces the member with the same order key (new digest or `updated`); its position, or null. */
  replace(member: ScopeMember): Promise<number | null>;
  toStored(): StoredChunkRef[];
}

function refOf(id: number, members: readonly ScopeMember[]): ChunkRef {
  const last = members[members.length - 1] as ScopeMember;
  return { id, n: members.length, last: { published: last.published, id: last.id, sourceId: last.sourceId } };
}

/** `members` newest first: staged as fresh chunks of FILL_CHUNK. */
export function buildScopeList(store: ChunkStore, members: readonly ScopeMember[]): ScopeList {
  const refs: ChunkRef[] = [];
  const fill = store.limits.fill;
  for (let i = 0; i < members.length; i += fill) {
    const part = members.slice(i, i + fill);
    refs.push(refOf(store.stage(part), part));
  }
  return openScopeList(store, refs);
}

export function parseChunkRefs(value: unknown): ChunkRef[] | null {
  if (!Array.isArray(value)) return null;
  const refs: ChunkRef[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 5) return null;
    const [id, n, published, itemId, sourceId] = item as unknown[];
    if (
      typeof id !== 'number' ||
      typeof n !== 'number' ||
      n < 1 ||
      typeof published !== 'string' ||
      typeof itemId !== 'string' ||
      typeof sourceId !== 'string'
    ) {
      return null;
    }
    refs.push({ id, n, last: { published, id: itemId, sourceId } });
  }
  return refs;
}

export function openScopeList(store: ChunkStore, initial: readonly ChunkRef[]): ScopeList {
  const refs: ChunkRef[] = [...initial];
  /** A chunk's members, checked against its ref when read from state (count, last member). */
  const load = async (ref: ChunkRef): Promise<ScopeMember[]> => {
    const staged = store.isStaged(ref.id);
    const members = await store.load(ref.id);
    const last = members[members.length - 1];
    const matches =
      members.length === ref.n &&
      last?.published === ref.last.published &&
      last.id === ref.last.id &&
      last.sourceId === ref.last.sourceId;
    if (!staged && !matches)
      throw new DamagedStateError(`site index chunk ${chunkKey(ref.id)} does not match the head`);
    return members;
  };
  const offsetOf = (index: number): number => {
    let offset = 0;
    for (let i = 0; i < index; i++) offset += (refs[i] as ChunkRef).n;
    return offset;
  };
  /** The chunk whose range holds `key`: the first whose last member is not before it. */
  const chunkFor = (key: OrderKey): number => {
    let lo = 0;
    let hi = refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries((refs[mid] as ChunkRef).last, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Position of the first member not before `key` within a chunk's members. */
  const lowerBound = (members: readonly ScopeMember[], key: OrderKey): number => {
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries(members[mid] as ScopeMember, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Copy-on-write: the chunk at `index` now holds `members` (split or dropped as needed). */
  const rewrite = (index: number, members: ScopeMember[]): void => {
    const old = refs[index] as ChunkRef;
    if (members.length === 0) {
      store.retire(old.id);
      refs.splice(index, 1);
      return;
    }
    if (members.length > store.limits.max) {
      store.retire(old.id);
      const half = members.length >> 1;
      const a = members.slice(0, half);
      const b = members.slice(half);
      refs.splice(index, 1, refOf(store.stage(a), a), refOf(store.stage(b), b));
      return;
    }
    if (store.isStaged(old.id)) {
      store.restage(old.id, members);
      refs[index] = refOf(old.id, members);
      return;
    }
    store.retire(old.id);
    refs[index] = refOf(store.stage(members), members);
  };
  const find = async (
    key: OrderKey,
  ): Promise<{ index: number; at: number; members: ScopeMember[] } | null> => {
    const index = chunkFor(key);
    if (index >= refs.length) return null;
    const members = [...(await load(refs[index] as ChunkRef))];
    const at = lowerBound(members, key);
    const found = members[at];
    if (!found || compareEntries(found, key) !== 0) return null;
    return { index, at, members };
  };
  return {
    get count() {
      let total = 0;
      for (const ref of refs) total += ref.n;
      return total;
    },
    async range(start, end) {
      const wanted: { ref: ChunkRef; offset: number }[] = [];
      let offset = 0;
      for (const ref of refs) {
        if (offset < end && offset + ref.n > start) wanted.push({ ref, offset });
        offset += ref.n;
        if (offset >= end) break;
      }
      const parts = await Promise.all(wanted.map(({ ref }) => load(ref)));
      const out: ScopeMember[] = [];
      parts.forEach((members, i) => {
        const base = (wanted[i] as { offset: number }).offset;
        out.push(...members.slice(Math.max(0, start - base), Math.max(0, end - base)));
      });
      return out;
    },
    async insert(member) {
      if (refs.length === 0) {
        refs.push(refOf(store.stage([member]), [member]));
        return 0;
      }
      const index = Math.min(chunkFor(member), refs.length - 1);
      const members = [...(await load(refs[index] as ChunkRef))];
      const at = lowerBound(members, member);
      members.splice(at, 0, member);
      const position = offsetOf(index) + at;
      rewrite(index, members);
      return position;
    },
    async remove(key) {
      const hit = await find(key);
      if (!hit) return null;
      const position = offsetOf(hit.index) + hit.at;
      hit.members.splice(hit.at, 1);
      rewrite(hit.index, hit.members);
      return position;
    },
    async replace(member) {
      const hit = await find(member);
      if (!hit) return null;
      hit.members[hit.at] = member;
      rewrite(hit.index, hit.members);
      return offsetOf(hit.index) + hit.at;
    },
    toStored: () => refs.map((r) => [r.id, r.n, r.last.published, r.last.id, r.last.sourceId]),
  };
}
