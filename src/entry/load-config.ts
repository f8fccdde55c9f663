/**
 * Finds and reads the config file for the Node entries: `--config FILE`, else
 * `kiosque.config.json` in the working directory when present, else the defaults; then
 * resolves the folders against the config file's folder. A ConfigError from the file names it
 * (`origin`), with every problem found.
 *
 * Must not: be used by the core or the Worker (they receive a parsed config).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type KiosqueConfig, parseConfig } from '../config.ts';

export const DEFAULT_CONFIG_FILE = 'kiosque.config.json';

export interface LoadedConfig {
  readonly config: KiosqueConfig;
  /** The file read, or null when running on defaults. */
  readonly file: string | null;
}

export function loadConfig(
  explicitFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): LoadedConfig {
  const file = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, DEFAULT_CONFIG_FILE);
  let json: unknown = {};
  if (explicitFile || existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const found = explicitFile || existsSync(file) ? file : null;
  const base = found ? dirname(found) : cwd;
  let parsed: KiosqueConfig;
  try {
    parsed = parseConfig(json, env);
  } catch (error) {
    // The same problems, now naming the file they were found in.
    if (error instanceof ConfigError && found) throw new ConfigError(error.problems, found);
    throw error;
  }
  return {
    file: found,
    config: {
      ...parsed,
      contentDir: resolve(base, parsed.contentDir),
      outDir: resolve(base, parsed.outDir),
      stateDir: resolve(base, parsed.stateDir),
    },
  };
}
