import { describe, expect, it } from 'vitest';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import {
  DEFAULT_DOCUMENTS_PER_BUILD,
  DocumentLimitError,
  guardDocumentCount,
} from '../../../src/core/publish/document-limit.ts';
import { MANIFEST_KEY } from '../../../src/core/publish/manifest.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { BUILD_EXIT, buildExitCode } from '../../../src/entry/build-exit-code.ts';
import { markdownArticle } from '../../support/markdown-article.ts';
import { memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);

function article(n: number): string {
  return markdownArticle(`Article ${n}`, [`tags: [Sujet ${n}]`]);
}

function setup() {
  const { deps, advance } = memoryRun();
  return {
    deps,
    later: () => advance(60_000),
    options: { site: SITE, feedSize: 50 },
  };
}

describe('guardDocumentCount', () => {
  it('passes at the limit and refuses past it, naming the count and the limit', () => {
    expect(() => guardDocumentCount(10, 10)).not.toThrow();
    expect(() => guardDocumentCount(11, 10)).toThrow(DocumentLimitError);
    expect(() => guardDocumentCount(11, 10)).toThrow(
      /refusing to publish 11 documents: over the limit of 10 documents per build/,
    );
  });

  it('defaults far above the 131,030 documents of the 100,000-article benchmark', () => {
    expect(DEFAULT_DOCUMENTS_PER_BUILD).toBeGreaterThanOrEqual(5 * 131_030);
  });
});

describe('documents per build', () => {
  it('refuses a first build over the limit: nothing published, the message names count and limit', async () => {
    const { deps, options } = setup();
    for (let n = 0; n < 3; n++) await deps.content.put(`a${n}.md`, encode(article(n)));
    const report = await regenerate(deps, { ...options, documentsPerBuild: 5 });
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(
      /refusing to publish \d+ documents: over the limit of 5 documents per build/,
    );
    expect(buildExitCode(report)).toBe(BUILD_EXIT.failed);
    expect(await deps.published.get(MANIFEST_KEY)).toBeNull();
  });

  it('refuses an incremental build that grows past the limit and leaves the last publication in place', async () => {
    const { deps, later, options } = setup();
    for (let n = 0; n < 3; n++) await deps.content.put(`a${n}.md`, encode(article(n)));
    const first = await regenerate(deps, options);
    expect(first.ok).toBe(true);
    const before = await loadManifest(deps.published);
    const count = Object.keys(before?.documents ?? {}).length;
    const root = await deps.published.get(MANIFEST_KEY);
    later();
    // One more article adds its page and a topic's documents: over a limit set at today's count.
    await deps.content.put('a3.md', encode(article(3)));
    const refused = await regenerate(deps, { ...options, documentsPerBuild: count });
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain(`over the limit of ${count} documents per build`);
    expect((await deps.published.get(MANIFEST_KEY))?.body).toEqual(root?.body);
    later();
    const raised = await regenerate(deps, { ...options, documentsPerBuild: count + 100 });
    expect(raised.ok).toBe(true);
    expect(raised.itemCount).toBe(4);
  });
});
