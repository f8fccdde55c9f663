/**
 * The one report line every source uses for an input it could not load, parse or clean, or left
 * out on purpose: which input (its sourceId: a content key or a remote item key) and why, in words.
 * Its own module so that collect-content.ts and content-skips.ts share it without importing each
 * other.
 *
 * Must not: hold behaviour; printing a sourceId safely is the report's and the logger's job.
 */

export interface ContentFailure {
  readonly sourceId: string;
  readonly message: string;
}
