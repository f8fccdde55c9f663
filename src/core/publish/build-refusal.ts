/**
 * A build refused as a whole before anything is committed or published: the guards that look at
 * what a run would do and stop it while the last publication still stands (document-limit.ts: too
 * many documents; removal-guard.ts: too many items unpublished). Every refusal message has the
 * same three parts, so an operator reads them the same way: what was refused and why, that nothing
 * changed, and the way out.
 *
 * Must not: decide when to refuse (each guard owns its threshold) or read storage.
 */

/** A run refused by one of the build guards; subclasses name the guard and carry its counts. */
export class BuildRefusedError extends Error {
  /**
   * `refused`: what the run would have done and why it may not (after "refusing to");
   * `unchanged`: what stays as it was; `wayOut`: what the operator can do.
   */
  constructor(refused: string, unchanged: string, wayOut: string) {
    super(`refusing to ${refused}; ${unchanged}. ${wayOut}`);
  }
}
