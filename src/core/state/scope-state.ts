/**
 * One scope of the site index as the modules around it use it: its member list, the spelling
 * counts that label a topic, and its frozen archive pages. The site index (site-index.ts) holds
 * one per scope; the frozen-page store (frozen-page-store.ts) builds the frozen-page half of it;
 * index-changes.ts changes it in place. Kept apart so the store and the index need not import
 * each other.
 *
 * Must not: hold behaviour; it is a type only.
 */
import type { FrozenPage } from './frozen-pages.ts';
import type { ScopeList } from './scope-list.ts';

export interface ScopeState {
  readonly list: ScopeList;
  /** Cleaned spelling → how many member labels use it (topics only). */
  readonly spellings: Map<string, number>;
  /** Member counts of its frozen archive pages, oldest first (kept in the head: always at hand). */
  frozenCounts(): number[];
  /** Its frozen pages with their key ranges (frozen-pages.ts), read on first use. */
  frozenPages(): Promise<FrozenPage[]>;
  /** Replaces its frozen pages (index-changes.ts); their keys are written on save only if changed. */
  setFrozen(pages: FrozenPage[]): void;
}
