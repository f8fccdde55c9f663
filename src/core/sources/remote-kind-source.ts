/**
 * Upstream feeds and article URLs as two sources (source.ts) over one run's remote collection
 * (remote-collection.ts): each owns the remote items whose kept copy came from a source of its
 * type (`feed` or `article` in config `sources`): their pending ids, revisits, chrome holders,
 * hold-backs and report rows. A story reached both ways is one item, owned by the kind of the copy
 * the ledger merge kept (config order), so splitting never changes which copy is published.
 *
 * Must not: fetch, parse or write anything itself: the collection does that once for both kinds
 * (open, scan and commit are shared, whichever source calls first).
 */
import type { RemoteSourceType } from '../remote/remote-source.ts';
import type { RemoteCollection, RemoteRunReport } from './remote-collection.ts';
import type { ChromeHolder, DocumentSource, LoadedDocument, Revisit } from './source.ts';

/** Upstream feeds: every item kept from a configured feed's entries. */
export function createFeedSource(collection: RemoteCollection): RemoteKindSource {
  return new RemoteKindSource(collection, 'feed', 'upstream feeds');
}

/** Article URLs: every item kept from a configured single article page. */
export function createArticleSource(collection: RemoteCollection): RemoteKindSource {
  return new RemoteKindSource(collection, 'article', 'article URLs');
}

export class RemoteKindSource implements DocumentSource<RemoteRunReport | null> {
  constructor(
    private readonly collection: RemoteCollection,
    readonly kind: RemoteSourceType,
    readonly name: string,
  ) {}

  open(): Promise<void> {
    return this.collection.open();
  }

  scan(): Promise<void> {
    return this.collection.scan();
  }

  unchanged(): number {
    return this.collection.unchanged(this.kind);
  }

  pendingIds(): readonly string[] {
    return this.collection.pendingIds(this.kind);
  }

  isPending(id: string): boolean {
    return this.owns(id) && this.collection.isPending(id);
  }

  async revisit(id: string): Promise<Revisit> {
    return this.owns(id) ? await this.collection.revisit(id) : 'absent';
  }

  async holders(group: string): Promise<readonly ChromeHolder[]> {
    return this.collection.holders(group, this.kind);
  }

  async load(id: string): Promise<LoadedDocument | null> {
    return this.owns(id) ? this.collection.load(id) : null;
  }

  async holdBack(id: string): Promise<boolean> {
    return this.owns(id) && (await this.collection.holdBack(id));
  }

  /** This kind's rows: its sources, and the retained, duplicate and expired items it owns. */
  report(): RemoteRunReport | null {
    const all = this.collection.report();
    if (!all) return null;
    return {
      sources: all.sources.filter((source) => source.type === this.kind),
      retained: all.retained.filter((item) => this.owns(item.sourceId)),
      duplicates: all.duplicates.filter((duplicate) => this.owns(duplicate.sameAs)),
      expired: all.expired.filter((id) => this.owns(id)),
    };
  }

  commit(): Promise<void> {
    return this.collection.commit();
  }

  private owns(id: string): boolean {
    return this.collection.kindOf(id) === this.kind;
  }
}
