import { describe, expect, it } from 'vitest';
import { FROZEN_PREFIX } from '../../../src/core/state/frozen-page-store.ts';
import { BODIES_PREFIX } from '../../../src/core/state/item-bodies.ts';
import { CATALOG_PREFIX } from '../../../src/core/state/item-catalog.ts';
import { CHUNK_PREFIX } from '../../../src/core/state/scope-list.ts';
import { SITE_INDEX_PREFIX } from '../../../src/core/state/site-index.ts';
import { STATE_LAYOUT } from '../../../src/core/state/state-layout.ts';

describe('STATE_LAYOUT', () => {
  it('names the prefix of every key the state modules write', () => {
    for (const prefix of [CATALOG_PREFIX, BODIES_PREFIX, SITE_INDEX_PREFIX, CHUNK_PREFIX, FROZEN_PREFIX]) {
      expect(
        STATE_LAYOUT.some((row) => prefix.startsWith(row.prefix)),
        prefix,
      ).toBe(true);
    }
  });
});
