// docker's tabwriter rule for every ls/ps table: minwidth 10, padding 3, the last column
// unpadded, widths in terminal cells (runewidth), recomputed from the cells on every call.

const MIN_WIDTH = 10;
const PADDING = 3;

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

/** Renders rows (header first) into lines, each ending in "\n". */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns - 1; c++) {
    const longest = Math.max(0, ...rows.map((r) => displayWidth(r[c] ?? '')));
    widths.push(Math.max(MIN_WIDTH, longest + PADDING));
  }
  let out = '';
  for (const row of rows) {
    let line = '';
    row.forEach((cell, c) => {
      const width = widths[c];
      line += width === undefined || c === row.length - 1 ? cell : cell + ' '.repeat(width - displayWidth(cell));
    });
    out += line + '\n';
  }
  return out;
}

/** Cuts `s` to at most `max` cells, ending in `…` when cut (docker's formatter.Ellipsis). */
export function ellipsis(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}
