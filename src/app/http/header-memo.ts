/**
 * A pure function of one request header, remembered per distinct header value: one Map hit per
 * request once a client's header was seen. Bounded: after `max` distinct values the memory starts
 * afresh, so a client sending a new value on every request costs a recomputation, never memory.
 *
 * Must not: memoise anything but a pure function of the header value.
 */
export function memoiseByHeader<T>(
  compute: (header: string) => T,
  absent: T,
  max: number,
): (header: string | undefined) => T {
  const seen = new Map<string, T>();
  return (header) => {
    if (!header) return absent;
    let answer = seen.get(header);
    if (answer === undefined) {
      answer = compute(header);
      if (seen.size >= max) seen.clear();
      seen.set(header, answer);
    }
    return answer;
  };
}
