/**
 * Issue 24 item 1: the fs driver's temp files cannot leak. Real files in a temp folder:
 * - copy onto a target that already is a link to the source's inode (what a killed publish leaves;
 *   POSIX rename of two links to one inode does nothing) leaves no temp, round after round;
 * - a writer marker of a process that is gone makes the next writer sweep the whole tree at once,
 *   deleting the dead writer's temps whatever their age and whatever the sweep interval;
 * - a live writer's temps are never swept: this process's, another host's, and a fresh hard-linked
 *   temp whose inode (shared with an old source) has an old mtime.
 */
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../../src/drivers/storage/fs.ts';
import {
  abandonedTemp,
  HOST_TAG,
  TEMP_FILE,
  WRITER_MARKER,
} from '../../../src/drivers/storage/fs-temp-files.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every temp file under `dir`. */
function temps(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tmp'))
    .map((e) => e.name);
}

/** The pid of a process that ran and is gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiosque-fs-temps-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('fs copy onto a link to the same inode', () => {
  it('leaves no temp file, however many rounds', async () => {
    const storage = createFsStorage(root, { sweepIntervalMs: 3_600_000 });
    await storage.put('_v/abc/feed.xml', bytes('<rss/>'));
    // A killed publish left the route copy as a link to the version (or a previous copy did).
    for (let round = 0; round < 38; round++) {
      expect(await storage.copy?.('_v/abc/feed.xml', 'feed.xml')).toBe(true);
    }
    // Also when another process made the link between our check and our rename.
    rmSync(join(root, 'feed.xml'));
    linkSync(join(root, '_v/abc/feed.xml'), join(root, 'feed.xml'));
    expect(await storage.copy?.('_v/abc/feed.xml', 'feed.xml')).toBe(true);
    await storage.whenSwept();
    expect(temps(root)).toEqual([]);
    expect(new TextDecoder().decode((await storage.get('feed.xml'))?.body)).toBe('<rss/>');
    // A different source still replaces the target.
    await storage.put('_v/def/feed.xml', bytes('<rss>2</rss>'));
    await storage.copy?.('_v/def/feed.xml', 'feed.xml');
    expect(new TextDecoder().decode((await storage.get('feed.xml'))?.body)).toBe('<rss>2</rss>');
    expect(temps(root)).toEqual([]);
  });
});

describe('sweeping after a crash', () => {
  it("deletes a dead writer's temps at once, whatever their age and the sweep interval", async () => {
    const pid = deadPid();
    mkdirSync(join(root, 'articles', 'a'), { recursive: true });
    const dead = [
      join(root, `.feed.xml.${pid}.h${HOST_TAG}.0123abcd0.tmp`),
      join(root, 'articles', 'a', `.index.html.${pid}.h${HOST_TAG}.0123abcd1.tmp`),
    ];
    for (const path of dead) writeFileSync(path, 'half');
    writeFileSync(join(root, `.kiosque-writer.${pid}.h${HOST_TAG}.0123abcd`), '');
    // A full sweep ran a moment ago: without the marker none would run for an hour.
    writeFileSync(join(root, '.kiosque-swept'), '');
    const live = [
      // This process (another instance may be writing it) and another host: judged by age only.
      join(root, `.live.xml.${process.pid}.h${HOST_TAG}.0badf00d0.tmp`),
      join(root, `.other.xml.${pid}.h${HOST_TAG === '00000000' ? '11111111' : '00000000'}.0badf00d1.tmp`),
      // Written by a version without the host tag.
      join(root, `.legacy.xml.${pid}.0badf00d2.tmp`),
    ];
    for (const path of live) writeFileSync(path, 'in progress');
    const storage = createFsStorage(root);
    await storage.put('feed.xml', bytes('<rss/>'));
    await storage.whenSwept();
    expect(temps(root).sort()).toEqual(live.map((p) => p.slice(root.length + 1)).sort());
    // The dead writer's marker is gone; this process holds its own (never listed).
    const markers = readdirSync(root).filter((n) => WRITER_MARKER.test(n));
    expect(markers).toHaveLength(1);
    expect(markers[0]).toContain(`.${process.pid}.h${HOST_TAG}.`);
    expect(await storage.list('')).toEqual(['feed.xml']);
  });

  it('never takes a fresh hard-linked temp for an old file (the inode keeps the source mtime)', () => {
    const source = join(root, 'old.xml');
    writeFileSync(source, 'x');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(source, old, old);
    const name = `.feed.xml.${process.pid}.h${HOST_TAG}.0abc.tmp`;
    linkSync(source, join(root, name));
    const stats = { mtimeMs: old.getTime(), ctimeMs: Date.now(), nlink: 2 };
    expect(abandonedTemp(name, stats, 600_000, Date.now())).toBe(false);
    expect(abandonedTemp(name, { ...stats, nlink: 1 }, 600_000, Date.now())).toBe(true);
  });

  it('names temp files so the pid and host can be read back, old names included', () => {
    expect(TEMP_FILE.exec(`.a.b.12.h${HOST_TAG}.ff0.tmp`)?.slice(1)).toEqual(['12', HOST_TAG]);
    expect(TEMP_FILE.exec('.a.html.4242.0123456789ab.tmp')?.slice(1)).toEqual(['4242', undefined]);
    expect(TEMP_FILE.test('feed.xml')).toBe(false);
  });
});
