// The record of what lib/ (the Node runtime compiled from src/ by scripts/build-node.mjs) was
// built from, and the check that it still matches: lib/build-inputs.json → null when lib/ may run,
// else a message saying what is missing or which inputs changed.
//
// The record keys every output by its inputs' content (STYLE.md "Derived state"): each source file
// that produced an output, each asset copied, both tsconfig files, with size, mtime and SHA-256.
// The check trusts stat data only when size and mtime are unchanged and the mtime is safely older
// than the moment the file was hashed (git's racy-file rule: a write within the filesystem's
// timestamp granularity of the hash could leave the mtime unchanged); otherwise it hashes the file,
// so a `touch` or a `git checkout` of identical bytes is not a change. A checkout without src/ (a
// deploy that ships lib/ alone) runs what lib/ holds.
//
// Used by bin/kiosque.mjs on every start (stats ~150 files) and by scripts/build-node.mjs.
// Must not: write anything, or need more than Node's standard library (it runs in production).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
/** Where the Node runtime is compiled to; one level below the root like src/, see build-node.mjs. */
export const LIB_DIR = 'lib';
export const RECORD_FILE = 'build-inputs.json';
/** Bumped when the record's shape or the build's layout changes: an older record means rebuild. */
export const RECORD_SCHEMA = 1;
/** Timestamp granularity allowed for: 2 s covers FAT and some network filesystems; ext4 is in ns. */
export const RACY_MS = 2000;
/** Listed after this many changed inputs: "and N more". */
const NAMED_CHANGES = 3;

/** A file's SHA-256, hex. */
export function digestFile(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** lib/build-inputs.json, parsed, or null when missing or unreadable. */
export function readRecord(root = ROOT) {
  try {
    return JSON.parse(readFileSync(join(root, LIB_DIR, RECORD_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** The record's inputs whose bytes differ from what was built (or that are gone), as paths. */
export function changedInputs(record, root = ROOT) {
  const changed = [];
  for (const [path, built] of Object.entries(record.inputs)) {
    const file = join(root, path);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size !== built.size) changed.push(path);
    else if (stat.mtimeMs === built.mtimeMs && stat.mtimeMs < record.hashedAt - RACY_MS) continue;
    else if (digestFile(file) !== built.sha256) changed.push(path);
  }
  return changed;
}

/**
 * Whether lib/ may run: `current` (a build of the current sources, or a checkout without src/ to
 * compare with), `missing`, `other-schema`, or `stale` with the inputs that changed.
 */
export function buildState(root = ROOT) {
  const record = readRecord(root);
  if (record === null) return { kind: 'missing' };
  if (record.schema !== RECORD_SCHEMA) return { kind: 'other-schema' };
  if (!existsSync(join(root, 'src'))) return { kind: 'current' };
  const changed = changedInputs(record, root);
  return changed.length === 0 ? { kind: 'current' } : { kind: 'stale', changed };
}

/** What is wrong with lib/, in a few words: "lib/ is out of date: src/a.ts changed since it was built". */
export function describeState(state) {
  switch (state.kind) {
    case 'missing':
      return `no compiled output in ${LIB_DIR}/ (no ${LIB_DIR}/${RECORD_FILE})`;
    case 'other-schema':
      return `${LIB_DIR}/ was built by another version of scripts/build-node.mjs`;
    case 'stale': {
      const named = state.changed.slice(0, NAMED_CHANGES).join(', ');
      const more =
        state.changed.length > NAMED_CHANGES ? ` and ${state.changed.length - NAMED_CHANGES} more` : '';
      return `${LIB_DIR}/ is out of date: ${named}${more} changed since it was built`;
    }
    default:
      return `${LIB_DIR}/ is current`;
  }
}

/** Null when lib/ may run; else the message bin/kiosque.mjs prints, with the commands that fix it. */
export function buildProblem(root = ROOT) {
  const state = buildState(root);
  if (state.kind === 'current') return null;
  return `${describeState(state)}, and kiosque runs only a build of the current sources. Build with \`npm run build:node\` (needs the dev dependencies; \`npm ci\` runs it), or run the TypeScript sources with \`npm run dev:cli -- <command>\`. Deploying: docs/deploy-node.md.`;
}
