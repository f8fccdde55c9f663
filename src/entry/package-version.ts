/**
 * kiosque's version, read from its package.json: the nearest `package.json` named `kiosque`
 * walking up from this module. Works from the sources (`src/entry/`, run through tsx) and from
 * compiled JavaScript at any depth (`dist/…`), without assuming how deep this file sits.
 *
 * Must not: be used by the core or the Worker (it reads the filesystem).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'kiosque';

/** The `version` of the nearest package.json named `name` at or above `from`; '0.0.0' when none. */
export function findPackageVersion(from: string, name = PACKAGE_NAME): string {
  let folder = from;
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (json.name === name && typeof json.version === 'string') return json.version;
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    const parent = dirname(folder);
    if (parent === folder) return '0.0.0';
    folder = parent;
  }
}

/** kiosque's version (package.json `version`). */
export const KIOSQUE_VERSION: string = findPackageVersion(dirname(fileURLToPath(import.meta.url)));
