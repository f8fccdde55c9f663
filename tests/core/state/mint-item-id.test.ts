import { describe, expect, it } from 'vitest';
import { mintItemId } from '../../../src/core/state/mint-item-id.ts';

describe('mintItemId', () => {
  it('is a version-8 UUID URN, the same for the same key', async () => {
    const id = await mintItemId('content/a.txt');
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await mintItemId('content/a.txt')).toBe(id);
  });

  it('differs between keys', async () => {
    expect(await mintItemId('a')).not.toBe(await mintItemId('b'));
  });
});
