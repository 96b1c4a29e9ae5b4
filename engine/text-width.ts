// How many terminal cells a string takes (go-runewidth's rule, as docker's tabwriter measures
// cells): used by the CLI's tables and by the page's terminal, so it lives in neither.

/** East Asian Wide/Fullwidth ranges (runewidth's common cases): these take 2 cells. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Terminal cells a string occupies; `…` counts 1, CJK 2, combining marks 0. */
export function displayWidth(s: string): number {
  // Printable ASCII, nearly every cell: one column per character. Tables of 1,000 tasks
  // measure every cell, so skip the code-point walk when it cannot change the answer.
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = 0;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0 || (code >= 0x300 && code <= 0x36f) || code === 0x200b) continue;
    w += isWide(code) ? 2 : 1;
  }
  return w;
}
