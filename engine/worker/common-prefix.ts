// Kept apart from complete.ts so the page's line editor can use it without pulling the
// whole docker command tree into the page's JavaScript (it lives in the worker).

/** The longest prefix all candidates share (what Tab inserts when several match). */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < c.length && prefix[i] === c[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
