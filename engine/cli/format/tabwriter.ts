// Go's text/tabwriter as docker/cli's fork runs it (cli/command/formatter/tabwriter: cell widths
// in terminal cells, runewidth), for text a template printed: `docker version --format` writes
// through NewWriter(out, 20, 1, 1, ' ', 0) and a `table` --format through (10, 1, 3, ' ', 0).
// Cells end at '\t' or '\v'; the last cell of a line is never padded; a column's width is set
// per *block* of consecutive lines that have a cell in that column, so a line with fewer cells
// ends the blocks to its right (Writer.format). renderTable (table.ts) is the fast path for the
// common case where every row has the same cells and no cell holds a newline: there both give
// the same text. Only padchar ' ' and flags 0 are used by docker, so only those are modelled
// (the Escape byte 0xff cannot occur in the UTF-8 text a template prints).
import { displayWidth } from '../../text-width.js';

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

interface Cell {
  text: string;
  width: number;
}

/** Aligns `text` as Go's tabwriter would on Write(text) then Flush(). */
export function tabwrite(text: string, { minwidth, padding }: TabwriterOptions): string {
  // Lines of cells; `ends[i]` says whether line i ended in a newline ('\n' or '\f', both
  // written as '\n'). The text after the last newline is the last line: Flush terminates its
  // cell if it holds text, formats it with the others and writes it without a newline.
  const lines: Cell[][] = [];
  // Where Write flushed (after a '\f', or a line of one cell): blocks never cross these.
  const flushes: number[] = [];
  let line: Cell[] = [];
  let cell = '';
  for (const ch of text) {
    if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') {
      cell += ch;
      continue;
    }
    line.push({ text: cell, width: displayWidth(cell) });
    cell = '';
    if (ch === '\n' || ch === '\f') {
      lines.push(line);
      if (ch === '\f' || line.length === 1) flushes.push(lines.length);
      line = [];
    }
  }
  if (cell !== '') line.push({ text: cell, width: displayWidth(cell) });
  const complete = lines.length;
  lines.push(line);

  let out = '';
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      cells.forEach((c, j) => {
        out += c.text;
        // A column's width applies to the cells that a tab ended, never to a line's last cell.
        const w = widths[j];
        if (w !== undefined && j < cells.length - 1) out += ' '.repeat(w - c.width);
      });
      if (i < complete) out += '\n';
    }
  };
  // Writer.format: a block is a run of lines with a cell in this column; its width is the
  // widest cell plus padding (at least minwidth); the columns to its right are formatted
  // within the block, recursively.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      writeLines(line0, cur);
      line0 = cur;
      let width = minwidth;
      for (; cur < line1 && column < lines[cur]!.length - 1; cur++) {
        width = Math.max(width, lines[cur]![column]!.width + padding);
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    writeLines(line0, line1);
  };
  let from = 0;
  for (const to of [...flushes, lines.length]) {
    format(from, to);
    from = to;
  }
  return out;
}
