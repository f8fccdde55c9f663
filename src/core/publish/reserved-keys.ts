/**
 * The storage keys the pipeline owns beside the published routes: the manifest root, the build
 * status and the publish journal. No route may map onto one (claim-routes.ts refuses it), or a
 * publish would overwrite the manifest or the status.
 *
 * Must not: touch storage. The status key lives here, below both the publisher that reserves it
 * and the report that writes it (report/build-status.ts), so publish never imports report.
 */
import { MANIFEST_KEY } from './manifest.ts';
import { PUBLISH_JOURNAL_KEY } from './publish-journal.ts';

/** Where the build status is stored (report/build-status.ts reads and writes it). */
export const STATUS_KEY = 'status.json';

/** Keys the pipeline owns; a route mapping onto one would overwrite the manifest or the status. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([MANIFEST_KEY, STATUS_KEY, PUBLISH_JOURNAL_KEY]);
