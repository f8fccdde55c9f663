/**
 * The generator name written into RSS `<generator>` and Atom `<generator>`.
 *
 * Must not: carry a version number — a version bump would change every rendered
 * byte and every ETag without any content change.
 */
export const GENERATOR_NAME = 'kiosque';
