/**
 * Runs the shared feedcheck harness (xmllint, jing, feedparser, newsboat, ajv…) on
 * the three rendered fixture feeds when it is installed: ../shared/feedcheck beside the
 * repository (`bash ../shared/feedcheck/install.sh`), or the entry point FEEDCHECK names.
 * Skipped elsewhere, with one line saying why: the unit tests cover the same rules without
 * external tools.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { renderAtom } from '../../../src/core/render/render-atom.ts';
import { renderJsonFeed } from '../../../src/core/render/render-json-feed.ts';
import { renderRss } from '../../../src/core/render/render-rss.ts';
import { findFeedcheck } from '../../support/feedcheck.ts';
import { createDocument } from './fixtures.ts';

const FEEDCHECK = findFeedcheck();
if (!FEEDCHECK.ready) console.warn(`tests/core/render/conformance.test.ts skipped: ${FEEDCHECK.reason}`);

describe.skipIf(!FEEDCHECK.ready)('feedcheck conformance', () => {
  it('passes every check with no warnings for RSS, Atom and JSON Feed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosque-render-'));
    try {
      const doc = createDocument();
      const links = createFeedLinks(doc.site);
      writeFileSync(join(dir, 'feed.xml'), renderRss(doc, links));
      writeFileSync(join(dir, 'atom.xml'), renderAtom(doc, links));
      writeFileSync(join(dir, 'feed.json'), renderJsonFeed(doc, links));
      const run = spawnSync(
        FEEDCHECK.path,
        ['--no-color', '--files', `rss:${dir}/feed.xml`, `atom:${dir}/atom.xml`, `json:${dir}/feed.json`],
        { encoding: 'utf8', timeout: 150_000 },
      );
      const summary = run.stdout.trim().split('\n').at(-1) ?? '';
      expect(summary, run.stdout + run.stderr).toMatch(/ 0 failed, 0 warnings/);
      expect(run.status, run.stdout).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
