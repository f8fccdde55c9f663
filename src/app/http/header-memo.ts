/**
 * A request-path memo: a pure function of one header value, with its answer remembered per
 * distinct value; past `max` distinct values the memory starts afresh (a client sending random
 * headers cannot grow it). One Map hit per request instead of re-parsing the header.
 *
 * Must not: be used for anything but pure functions of the value (the answer is shared by every
 * later request with the same header).
 */
export function memoizeByHeader<V>(compute: (value: string) => V, max: number): (value: string) => V {
  const seen = new Map<string, V>();
  return (value) => {
    let answer = seen.get(value);
    if (answer === undefined) {
      answer = compute(value);
      if (seen.size >= max) seen.clear();
      seen.set(value, answer);
    }
    return answer;
  };
}
