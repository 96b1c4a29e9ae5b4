// The terminal side of docker's progress stream (jsonmessage.DisplayJSONMessagesStream as
// the service commands drive it). Every "progress" entry owns one line, keyed by its ID; on
// a TTY the line is redrawn in place with cursor movements, otherwise entries become plain
// lines and those carrying a progress bar are dropped. "Message" entries (no progress
// object) are plain lines and make the display forget the lines it was tracking.
//
// Narrow terminals. docker/cli moves the cursor by *entries* (`ESC[nA` with n = entries
// below, one row each) and never measures its text; the terminal's width only decides the
// bar (> 110 columns). An entry wider than the terminal wraps onto a second row, and from
// then on every `ESC[nA` lands a row short: at 44 columns each 200 ms poll left a stale
// `verify: Waiting 5 seconds to verify that tas` row behind (ten of them in the lesson),
// or a wrapped line overwrote the one below it (`overall progress: rolling back update: …`
// ate `1/3:`). So this display counts *rows*: it knows each entry's wrapped height at the
// terminal's current width, and moves, erases and redraws by rows. While every entry fits on
// one row, which is every wide-enough terminal, the bytes are docker's exactly (the tests
// compare them); only an entry that wraps, or whose height changes, is drawn differently:
// all its rows are erased before it is written, and when its height changes the entries
// below it are drawn again under it (erase below, rewrite), so the block stays whole and the
// cursor ends, as docker's does, on the row after the last entry.
import { displayWidth } from '../../text-width.js';
import type { Writer } from '../context.js';

const ESC = '\x1b[';

export interface Bar {
  current: number;
  total: number;
}

/** Width the client assumes when stdout is not a terminal (JSONProgress.width fallback). */
const NON_TTY_WIDTH = 200;

/** JSONProgress.String() with HideCounts and no start time: only the bar, when wider than 110. */
export function barText(bar: Bar | undefined, width: number): string {
  if (!bar || (bar.current <= 0 && bar.total <= 0)) return '';
  const pct = Math.min(50, Math.trunc(Math.trunc((bar.current / bar.total) * 100) / 2));
  if (width <= 110) return '';
  return `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] `;
}

/**
 * Rows a line of `text` takes on a terminal `columns` wide that wraps at its edge (xterm and
 * VT100-style terminals): a line exactly as wide as the terminal still takes one row (the
 * cursor waits in the last column and the `\r` that follows cancels the wrap).
 */
export function rowsFor(text: string, columns: number): number {
  const cols = Math.max(1, Math.floor(columns));
  return Math.max(1, Math.ceil(displayWidth(text) / cols));
}

interface Entry {
  id: string;
  /** What the entry's row shows now (id, text, trailing space, bar). */
  text: string;
  /** Rows it takes at the width it was last drawn at. */
  rows: number;
}

export class ProgressDisplay {
  private entries: Entry[] = [];
  private index = new Map<string, number>();
  /** The width the rows of `entries` were counted at. */
  private countedAt: number;
  /** The bar is decided once, as docker reads the window size once per stream. */
  private readonly barWidth: number;

  /**
   * `columns`: the terminal's width; a function when the terminal can be resized while the
   * command runs (the page's terminal: rows are counted at the width of each redraw, which
   * is the width the terminal reflowed the block to).
   */
  constructor(
    private readonly out: Writer,
    private readonly tty: boolean,
    private readonly columns: number | (() => number),
  ) {
    this.countedAt = this.width();
    this.barWidth = this.tty ? this.countedAt : NON_TTY_WIDTH;
  }

  private width(): number {
    const w = typeof this.columns === 'function' ? this.columns() : this.columns;
    return Number.isFinite(w) && w >= 1 ? Math.floor(w) : 80;
  }

  /** A progress entry (Progress.Action): `id: text ` plus an optional bar. */
  progress(id: string, text: string, bar?: Bar): void {
    const bars = barText(bar, this.barWidth);
    const line = `${id}: ${text} ${bars}`;
    if (!this.tty) {
      if (bars === '') this.out.write(`${id}: ${text}\n`);
      return;
    }
    this.recount();
    const columns = this.countedAt;
    let i = this.index.get(id);
    let out = '';
    if (i === undefined) {
      // A new entry: docker's `\n` opens its row below the block (one per row it needs).
      i = this.entries.length;
      const rows = rowsFor(line, columns);
      this.entries.push({ id, text: line, rows });
      this.index.set(id, i);
      out += '\n'.repeat(rows);
      out += this.redrawEntry(i, line);
    } else {
      const entry = this.entries[i]!;
      const rows = rowsFor(line, columns);
      if (rows === entry.rows) out += this.redrawEntry(i, line);
      else out += this.redrawFrom(i, line, rows);
      entry.text = line;
      entry.rows = rows;
    }
    this.out.write(out);
  }

  /** A message entry (progress.Message): a plain line; forgets the tracked progress lines. */
  message(id: string, text: string): void {
    this.entries = [];
    this.index = new Map();
    this.out.write(`${id !== '' ? id + ': ' : ''}${text}\n`);
  }

  /**
   * A line from outside the display (the paused-swarm notice) while it waits: on a terminal it
   * takes the block's first row and the block is drawn again below it, so the cursor ends on
   * the row below the block as the redraws expect; without a block (or a tty) it goes to
   * `fallback` as a plain line.
   */
  interject(text: string, fallback: Writer): void {
    if (!this.tty || this.entries.length === 0) return fallback.write(text);
    this.recount();
    const up = this.rowsFrom(0);
    let out = `${ESC}${up}A\r${ESC}J${text.replace(/\n$/, '')}\r\n`;
    for (const e of this.entries) out += `${e.text}\r\n`;
    this.out.write(out);
  }

  /** Rows between the top of entry `i` and the cursor (the row below the block). */
  private rowsFrom(i: number): number {
    let n = 0;
    for (let j = i; j < this.entries.length; j++) n += this.entries[j]!.rows;
    return n;
  }

  /**
   * Entry `i` redrawn where it is, at the same height: up to its first row, every row of it
   * erased, the new text, back down. One row: docker's exact sequence.
   */
  private redrawEntry(i: number, line: string): string {
    const up = this.rowsFrom(i);
    const rows = this.entries[i]!.rows;
    let out = `${ESC}${up}A${ESC}2K`;
    // Rows after the first: erased too (a shorter text would leave the old one's tail).
    if (rows > 1) out += `${`${ESC}1B${ESC}2K`.repeat(rows - 1)}${ESC}${rows - 1}A`;
    out += `\r${line}\r`;
    // The cursor is on the entry's last row now: down to the row below the block.
    const down = up - (rows - 1);
    return out + `${ESC}${down}B`;
  }

  /**
   * Entry `i` changed height: the entries below it move. Everything from its first row down
   * is erased and written again, each entry on rows of its own, and the cursor ends on the
   * row below the block (as after docker's redraw).
   */
  private redrawFrom(i: number, line: string, rows: number): string {
    const up = this.rowsFrom(i);
    this.entries[i]!.text = line;
    this.entries[i]!.rows = rows;
    let out = `${ESC}${up}A\r${ESC}J`;
    for (let j = i; j < this.entries.length; j++) out += `${this.entries[j]!.text}\r\n`;
    return out;
  }

  /**
   * The terminal was resized since the last redraw: it reflowed the block (xterm rewraps
   * wrapped rows), so each entry's height is now what its text takes at the new width.
   */
  private recount(): void {
    const columns = this.width();
    if (columns === this.countedAt) return;
    this.countedAt = columns;
    for (const e of this.entries) e.rows = rowsFor(e.text, columns);
  }
}
