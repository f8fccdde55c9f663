/**
 * Worker vars (wrangler.toml `[vars]`, dashboard variables) → the same validated KiosqueConfig the
 * Node entry gets, through the same `parseConfig`: each var maps onto one config field, so a typo
 * or a bad value fails with the same named ConfigError.
 *
 *   SITE_TITLE → site.title           SITE_DESCRIPTION → site.description
 *   SITE_URL → site.baseUrl           SITE_LANGUAGE → site.language
 *   FEED_SIZE → feedSize              SCHEDULE → schedule (must equal the `[triggers] crons` entry)
 *   TTL_MINUTES → ttlMinutes (default: implied by SCHEDULE)
 *   KIOSQUE_CONFIG → the whole config object, as in kiosque.config.json (a JSON string or a
 *     wrangler.toml table), for fields without a var of their own (sources, feedLimits, …);
 *     the single vars above override it.
 *
 * Must not: read globals (vars arrive as the Worker's env), or invent defaults (parseConfig owns them).
 * Folder, host and port fields do not apply on the edge and are left at their defaults.
 */
import { ConfigError, type KiosqueConfig, parseConfig } from '../config.ts';
import type { SiteInfo } from '../core/model.ts';

/** Vars may be strings (dashboard, `--var`) or JSON values (wrangler.toml numbers). */
export type WorkerVar = string | number | undefined;

export interface WorkerVars {
  readonly SITE_TITLE?: WorkerVar;
  readonly SITE_DESCRIPTION?: WorkerVar;
  readonly SITE_URL?: WorkerVar;
  readonly SITE_LANGUAGE?: WorkerVar;
  readonly FEED_SIZE?: WorkerVar;
  readonly SCHEDULE?: WorkerVar;
  readonly TTL_MINUTES?: WorkerVar;
  readonly KIOSQUE_CONFIG?: string | object;
}

type Json = string | number | { [key: string]: Json };

/** `"50"` → 50, so parseConfig checks the number; anything else stays as given for its error message. */
function numeric(value: WorkerVar): Json {
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return value ?? '';
}

/** KIOSQUE_CONFIG → a plain object (parseConfig validates its fields). */
function baseConfig(value: WorkerVars['KIOSQUE_CONFIG']): { [key: string]: Json } {
  if (value === undefined) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new ConfigError(`KIOSQUE_CONFIG must be a JSON object: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('KIOSQUE_CONFIG must be a JSON object, as in kiosque.config.json');
  }
  return { ...(parsed as { [key: string]: Json }) };
}

export function configFromWorkerVars(vars: WorkerVars): KiosqueConfig {
  const json = baseConfig(vars.KIOSQUE_CONFIG);
  const baseSite = json.site;
  const siteIsObject = typeof baseSite === 'object' && baseSite !== null && !Array.isArray(baseSite);
  const site: { [key: string]: Json } = siteIsObject ? { ...baseSite } : {};
  if (vars.SITE_TITLE !== undefined) site.title = String(vars.SITE_TITLE);
  if (vars.SITE_DESCRIPTION !== undefined) site.description = String(vars.SITE_DESCRIPTION);
  if (vars.SITE_URL !== undefined) site.baseUrl = String(vars.SITE_URL);
  if (vars.SITE_LANGUAGE !== undefined) site.language = String(vars.SITE_LANGUAGE);
  // A non-object `site` with no override is left for parseConfig to report.
  if (siteIsObject || Object.keys(site).length > 0) json.site = site;
  if (vars.FEED_SIZE !== undefined) json.feedSize = numeric(vars.FEED_SIZE);
  if (vars.SCHEDULE !== undefined) json.schedule = String(vars.SCHEDULE);
  if (vars.TTL_MINUTES !== undefined) json.ttlMinutes = numeric(vars.TTL_MINUTES);
  return parseConfig(json);
}

/** What the renderers need from the config. */
export function siteInfoFromConfig(config: KiosqueConfig): SiteInfo {
  return { ...config.site, ttlMinutes: config.ttlMinutes };
}
