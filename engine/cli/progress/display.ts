// The terminal side of docker's progress stream (jsonmessage.DisplayJSONMessagesStream as
// the service commands drive it). Every "progress" entry owns one line, keyed by its ID; on
// a TTY the line is redrawn in place with cursor movements, otherwise entries become plain
// lines and those carrying a progress bar are dropped. "Message" entries (no progress
// object) are plain lines and make the display forget the lines it was tracking.
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

export class ProgressDisplay {
  private lines = new Map<string, number>();

  constructor(
    private readonly out: Writer,
    private readonly tty: boolean,
    private readonly columns: number,
  ) {}

  /** A progress entry (Progress.Action): `id: text ` plus an optional bar. */
  progress(id: string, text: string, bar?: Bar): void {
    const width = this.tty ? this.columns : NON_TTY_WIDTH;
    let line = this.lines.get(id);
    let out = '';
    if (line === undefined) {
      line = this.lines.size;
      this.lines.set(id, line);
      if (this.tty) out += '\n';
    }
    const diff = this.lines.size - line;
    const bars = barText(bar, width);
    if (this.tty) {
      out += `${ESC}${diff}A${ESC}2K\r${id}: ${text} ${bars}\r${ESC}${diff}B`;
    } else if (bars === '') {
      out += `${id}: ${text}\n`;
    }
    if (out !== '') this.out.write(out);
  }

  /** A message entry (progress.Message): a plain line; forgets the tracked progress lines. */
  message(id: string, text: string): void {
    this.lines = new Map();
    this.out.write(`${id !== '' ? id + ': ' : ''}${text}\n`);
  }
}
