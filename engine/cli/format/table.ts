// docker's tabwriter rule for every ls/ps table: minwidth 10, padding 3, the last column
// unpadded, widths in terminal cells (runewidth), recomputed from the cells on every call.

import { displayWidth } from '../../text-width.js';

const MIN_WIDTH = 10;
const PADDING = 3;

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
