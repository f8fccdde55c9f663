import { describe, expect, it } from 'vitest';
import { STATUS_KEY } from '../../../src/core/publish/reserved-keys.ts';
import {
  type BuildStatus,
  readBuildStatus,
  writeBuildStatus,
} from '../../../src/core/report/build-status.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

const status: BuildStatus = {
  lastAttemptAt: '2024-05-01T10:00:00.000Z',
  lastSuccessAt: '2024-05-01T09:00:00.000Z',
  itemCount: 12,
  durationMs: 345,
  errors: [{ source: 'content/a.md', message: 'bad front matter' }, { message: 'upstream down' }],
  warnings: 2,
};

describe('build status', () => {
  it('round-trips through storage under STATUS_KEY', async () => {
    const storage = createMemoryStorage();
    await writeBuildStatus(storage, status);
    expect(await storage.list('')).toEqual([STATUS_KEY]);
    expect(await readBuildStatus(storage)).toEqual(status);
  });

  it('reads null when no status was written', async () => {
    expect(await readBuildStatus(createMemoryStorage())).toBeNull();
  });

  it.each([
    ['garbage', 'not json'],
    ['a wrong shape', JSON.stringify({ ...status, itemCount: 'twelve' })],
    ['errors without messages', JSON.stringify({ ...status, errors: [{ source: 'x' }] })],
  ])('reads null for %s instead of throwing', async (_label, text) => {
    const storage = createMemoryStorage();
    await storage.put(STATUS_KEY, new TextEncoder().encode(text));
    expect(await readBuildStatus(storage)).toBeNull();
  });
});
