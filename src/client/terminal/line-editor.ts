// The terminal's line editor: what bash's readline does for a learner, as a pure state
// machine. xterm hands us raw input (keys and pastes as escape sequences); `splitKeys`
// cuts it into keys, `LineEditor.key` applies one, and `renderLine` says how to redraw.
// No DOM here: the xterm glue (terminal-session.ts) owns the screen and the worker.
import { displayWidth } from '../../../engine/text-width.js';
import { splitWords } from '../../../engine/shell/words.js';
import type { Completion } from '../../../engine/worker/complete.js';
import { commonPrefix } from '../../../engine/worker/common-prefix.js';

export const CONTINUATION_PROMPT = '> ';
export const HISTORY_LIMIT = 1000;

export type KeyResult =
  /** The line or cursor changed: redraw it. */
  | { kind: 'redraw' }
  /** Nothing to do (an unknown key, or Backspace at the start). */
  | { kind: 'none' }
  /** Enter on a complete command (continuation lines joined with "\n"). */
  | { kind: 'submit'; line: string }
  /** Enter on a line that continues (trailing backslash, open quote): print "> ". */
  | { kind: 'continue' }
  /** Ctrl-C with nothing running: the line is dropped; print ^C and a fresh prompt. */
  | { kind: 'cancel' }
  /** Ctrl-L. */
  | { kind: 'clear' }
  /** Tab: ask the engine for completions of the word before the cursor. */
  | { kind: 'complete' };

export type CompletionResult = { kind: 'inserted' } | { kind: 'list'; candidates: string[] } | { kind: 'none' };

const CSI = /^\x1b\[[0-9;?]*[~A-Za-z]/;
const SS3 = /^\x1bO[A-Za-z]/;

/** Cuts raw terminal input into keys: escape sequences, "\r\n" as one Enter, code points. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    const rest = data.slice(i);
    if (rest[0] === '\x1b') {
      const m = CSI.exec(rest) ?? SS3.exec(rest);
      const k = m ? m[0] : rest.slice(0, rest.length > 1 ? 2 : 1);
      keys.push(k);
      i += k.length;
      continue;
    }
    if (rest.startsWith('\r\n')) {
      keys.push('\r');
      i += 2;
      continue;
    }
    const cp = rest.codePointAt(0)!;
    const ch = String.fromCodePoint(cp);
    keys.push(ch);
    i += ch.length;
  }
  return keys;
}

const isPrintable = (k: string): boolean => !/[\x00-\x1f\x7f]/.test(k) && !k.startsWith('\x1b');

/** How a submitted command is kept in history: continuation joins become one line. */
export const historyEntry = (line: string): string => line.replace(/\\\n/g, '').replace(/\n/g, ' ');

export class LineEditor {
  line = '';
  /** Cursor position in UTF-16 units of `line`, always on a code-point boundary. */
  cursor = 0;
  /** Earlier lines of a command that continues (trailing backslash, open quotes). */
  private pending: string[] = [];
  private readonly entries: string[];
  /** Index into entries while browsing history; entries.length is the line being typed. */
  private index: number;
  private draft = '';

  constructor(
    history: readonly string[] = [],
    private readonly limit = HISTORY_LIMIT,
  ) {
    this.entries = history.slice(-limit);
    this.index = this.entries.length;
  }

  get history(): readonly string[] {
    return this.entries;
  }

  get continuing(): boolean {
    return this.pending.length > 0;
  }

  /** The prompt the current line is typed after. */
  promptFor(mainPrompt: string): string {
    return this.continuing ? CONTINUATION_PROMPT : mainPrompt;
  }

  /** Drops the current line and any continuation (Ctrl-C, worker restart). */
  clearLine(): void {
    this.line = '';
    this.cursor = 0;
    this.pending = [];
    this.index = this.entries.length;
    this.draft = '';
  }

  insert(text: string): void {
    this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
    this.cursor += text.length;
  }

  key(k: string): KeyResult {
    switch (k) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x03':
        this.clearLine();
        return { kind: 'cancel' };
      case '\x0c':
        return { kind: 'clear' };
      case '\t':
        return { kind: 'complete' };
      case '\x7f':
      case '\b':
        if (this.cursor === 0) return { kind: 'none' };
        return this.cut(this.prevBoundary(this.cursor), this.cursor);
      case '\x1b[3~':
      case '\x04': // Ctrl-D deletes forward; on an empty line there is no session to end.
        if (this.cursor === this.line.length) return { kind: 'none' };
        return this.cut(this.cursor, this.nextBoundary(this.cursor));
      case '\x1b[D':
      case '\x02':
        return this.moveTo(this.prevBoundary(this.cursor));
      case '\x1b[C':
      case '\x06':
        return this.moveTo(this.nextBoundary(this.cursor));
      case '\x1b[1;5D':
      case '\x1bb':
        return this.moveTo(this.wordStart(this.cursor));
      case '\x1b[1;5C':
      case '\x1bf':
        return this.moveTo(this.wordEnd(this.cursor));
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x01':
        return this.moveTo(0);
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x05':
        return this.moveTo(this.line.length);
      case '\x0b':
        return this.cut(this.cursor, this.line.length);
      case '\x15':
        return this.cut(0, this.cursor);
      case '\x17':
        return this.cut(this.wordStart(this.cursor), this.cursor);
      case '\x1b[A':
      case '\x10':
        return this.browse(-1);
      case '\x1b[B':
      case '\x0e':
        return this.browse(1);
      default:
        if (!isPrintable(k)) return { kind: 'none' };
        this.insert(k);
        return { kind: 'redraw' };
    }
  }

  /**
   * Applies the engine's answer to Tab. One candidate completes the word (and adds a
   * space unless it ends in "=" like `service scale redis=`); several insert what they
   * share, or are listed when they share nothing more than what is typed.
   */
  applyCompletion(c: Completion): CompletionResult {
    const word = this.line.slice(c.start, c.end);
    // The line changed while the worker was answering: the answer no longer applies.
    if (c.end !== this.cursor || c.end > this.line.length || !c.candidates.every((x) => x.startsWith(word))) return { kind: 'none' };
    if (c.candidates.length === 0) return { kind: 'none' };
    if (c.candidates.length === 1) {
      const only = c.candidates[0]!;
      const after = this.line.slice(c.end);
      const space = only.endsWith('=') || after.startsWith(' ') ? '' : ' ';
      this.replace(c.start, c.end, only + space);
      if (space === '' && after.startsWith(' ') && !only.endsWith('=')) this.cursor++;
      return { kind: 'inserted' };
    }
    const prefix = commonPrefix(c.candidates);
    if (prefix.length > word.length) {
      this.replace(c.start, c.end, prefix);
      return { kind: 'inserted' };
    }
    return { kind: 'list', candidates: c.candidates };
  }

  private replace(start: number, end: number, text: string): void {
    this.line = this.line.slice(0, start) + text + this.line.slice(end);
    this.cursor = start + text.length;
  }

  private enter(): KeyResult {
    const full = [...this.pending, this.line].join('\n');
    if (splitWords(full).kind === 'incomplete') {
      this.pending.push(this.line);
      this.line = '';
      this.cursor = 0;
      return { kind: 'continue' };
    }
    this.clearLine();
    if (full.trim() !== '') {
      const entry = historyEntry(full);
      // Like HISTCONTROL=ignoreboth in Debian's .bashrc: no immediate repeats.
      if (this.entries[this.entries.length - 1] !== entry) this.entries.push(entry);
      if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
      this.index = this.entries.length;
    }
    return { kind: 'submit', line: full };
  }

  private browse(step: -1 | 1): KeyResult {
    const next = this.index + step;
    if (next < 0 || next > this.entries.length) return { kind: 'none' };
    if (this.index === this.entries.length) this.draft = this.line;
    this.index = next;
    this.line = next === this.entries.length ? this.draft : this.entries[next]!;
    this.cursor = this.line.length;
    return { kind: 'redraw' };
  }

  private moveTo(pos: number): KeyResult {
    if (pos === this.cursor) return { kind: 'none' };
    this.cursor = pos;
    return { kind: 'redraw' };
  }

  private cut(from: number, to: number): KeyResult {
    if (from === to) return { kind: 'none' };
    this.line = this.line.slice(0, from) + this.line.slice(to);
    this.cursor = from;
    return { kind: 'redraw' };
  }

  private prevBoundary(pos: number): number {
    if (pos <= 0) return 0;
    const lo = this.line.charCodeAt(pos - 1);
    return lo >= 0xdc00 && lo <= 0xdfff && pos >= 2 ? pos - 2 : pos - 1;
  }

  private nextBoundary(pos: number): number {
    if (pos >= this.line.length) return this.line.length;
    const hi = this.line.charCodeAt(pos);
    return hi >= 0xd800 && hi <= 0xdbff ? pos + 2 : pos + 1;
  }

  /** Start of the word before pos (readline's unix-word-rubout: words end at spaces). */
  private wordStart(pos: number): number {
    let i = pos;
    while (i > 0 && this.line[i - 1] === ' ') i--;
    while (i > 0 && this.line[i - 1] !== ' ') i--;
    return i;
  }

  private wordEnd(pos: number): number {
    let i = pos;
    while (i < this.line.length && this.line[i] === ' ') i++;
    while (i < this.line.length && this.line[i] !== ' ') i++;
    return i;
  }
}

export interface Rendered {
  /** What to write to the terminal. */
  text: string;
  /** Row of the cursor, counted from the prompt's row; pass it to the next render. */
  cursorRow: number;
}

const stripEscapes = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Redraws prompt + line in place, however many rows it wraps over: go up to the
 * prompt's row, clear to the end of the screen, write, then put the cursor back.
 * `prevCursorRow` is the cursor's row (relative to the prompt) after the last render.
 */
export function renderLine(prompt: string, line: string, cursor: number, columns: number, prevCursorRow: number): Rendered {
  const cols = Math.max(1, columns);
  const promptWidth = displayWidth(stripEscapes(prompt));
  const total = promptWidth + displayWidth(line);
  const at = promptWidth + displayWidth(line.slice(0, cursor));
  let text = prevCursorRow > 0 ? `\x1b[${prevCursorRow}A` : '';
  text += `\r\x1b[J${prompt}${line}`;
  // A line that exactly fills its last row leaves xterm's cursor waiting to wrap; move
  // it to the next row so the arithmetic below holds.
  if (total > 0 && total % cols === 0) text += '\r\n';
  const endRow = Math.floor(total / cols);
  const row = Math.floor(at / cols);
  const col = at % cols;
  if (endRow > row) text += `\x1b[${endRow - row}A`;
  text += '\r';
  if (col > 0) text += `\x1b[${col}C`;
  return { text, cursorRow: row };
}
