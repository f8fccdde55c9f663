/**
 * What the WebSub publisher reports about its pings (W3C WebSub §7 "publishing"): the
 * shape shared by the driver that sends them (drivers/websub) and /healthz that shows them.
 *
 * Must not: hold behaviour; times are ISO-8601 strings.
 */

export interface HubPingResult {
  readonly hub: string;
  /** The feed (topic) URL announced with `hub.mode=publish`. */
  readonly topic: string;
  readonly ok: boolean;
  /** Last HTTP status from the hub, null when no response arrived (timeout, refused). */
  readonly status: number | null;
  readonly attempts: number;
  readonly error?: string;
}

export interface WebSubStatus {
  readonly hubs: readonly string[];
  /** ISO-8601 of the last batch of pings, null before the first. */
  readonly lastPingAt: string | null;
  /** Totals since the process started. */
  readonly sent: number;
  readonly failed: number;
  /** Results of the last batch (capped), failures first. */
  readonly lastResults: readonly HubPingResult[];
}
