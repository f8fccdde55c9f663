/**
 * The render-cache seam: a document planned but not rendered yet. A PlannedDocument carries
 * `inputs`, a string naming everything its renderer reads (items by id + content hash + dates,
 * site, links), and `render()`. The publisher compares the digest of `RENDER_VERSION + inputs`
 * with the one stored in the live manifest: equal → the published bytes are still right and the
 * document is neither rendered, encoded, hashed nor compressed. So an incremental run renders the
 * changed item's page and the feeds that list it, never the full archive pages or other pages.
 *
 * Must not: read the clock or storage. Bump RENDER_VERSION whenever any renderer's output can
 * change for the same inputs (tests/core/render/planned-document.test.ts pins the output and fails
 * with that advice); otherwise unchanged inputs would keep serving the old bytes.
 */
import type { FeedItem, RenderedDocument } from '../model.ts';

/** Version of every renderer's output; part of each input digest. */
export const RENDER_VERSION = 3;

export interface PlannedDocument {
  readonly path: string;
  readonly contentType: string;
  readonly immutable?: boolean;
  /** Everything `render` reads, serialised; equal inputs → byte-identical output. */
  readonly inputs: string;
  /**
   * The document's text. May be asynchronous (e.g. item bodies loaded from storage only when
   * the document must be rendered); publish awaits it, one bounded batch at a time.
   */
  render(): string | Promise<string>;
}

/**
 * What of an item a renderer reads, cheaply: the ledger's content hash covers title, lead,
 * content HTML, language, author, publisher, URLs, image, tags and dates from metadata; id, slug,
 * URL and the ledger dates are added. The plain-text length guards the one derived field the hash
 * does not name (it comes from the same blocks as the HTML).
 */
export function itemInputs(item: FeedItem): string {
  return `${item.id}|${item.slug}|${item.url}|${item.contentHash}|${item.published}|${item.updated}|${item.contentText.length}`;
}

/**
 * Which item this is and where it sorts (feed order: published, id, source id), without its
 * content: a frozen archive page's inputs name its items this way, so an edit to one of them
 * leaves the page as published (syndicate/plan-archive.ts).
 */
export function itemPlace(item: Pick<FeedItem, 'sourceId' | 'id' | 'published'>): string {
  return `${item.sourceId}|${item.id}|${item.published}`;
}

export function itemsInputs(items: readonly FeedItem[]): string {
  return items.map(itemInputs).join('\n');
}

export function planDocument(
  path: string,
  contentType: string,
  inputs: readonly unknown[],
  render: () => string | Promise<string>,
  immutable = false,
): PlannedDocument {
  return {
    path,
    contentType,
    inputs: JSON.stringify(inputs),
    render,
    ...(immutable ? { immutable: true } : {}),
  };
}

/** Renders a planned document whose `render` is synchronous (an asynchronous one throws: publish it instead). */
export function renderPlanned(document: PlannedDocument): RenderedDocument {
  const body = document.render();
  if (typeof body !== 'string') {
    throw new TypeError(
      `${document.path} renders asynchronously: pass it to publishDocuments, which awaits it`,
    );
  }
  return {
    path: document.path,
    contentType: document.contentType,
    body,
    ...(document.immutable ? { immutable: true } : {}),
  };
}
