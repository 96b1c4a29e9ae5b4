// Renders a command session as an 80x24 terminal would show it, so the simulator's output
// and captures of the real docker CLI can be compared on what a learner actually sees:
// docker's progress display redraws lines in place (ESC[nA, ESC[2K, \r, ESC[nB), so the raw
// bytes of two equal-looking sessions can differ while the screen is the same.
// Node-only (lives in engine/node/) because @xterm/headless is loaded as a Node package here.
import * as xtermModule from '@xterm/headless';

export interface TranscriptEntry {
  command: string;
  output: string;
}

export interface TranscriptOptions {
  cols?: number;
  rows?: number;
}

type TerminalClass = typeof xtermModule.Terminal;

// @xterm/headless ships CommonJS as "main": Node's ESM loader exposes it only as `default`,
// while bundlers may expose the named export. Accept either.
const Terminal: TerminalClass =
  xtermModule.Terminal ?? (xtermModule as unknown as { default: { Terminal: TerminalClass } }).default.Terminal;

/**
 * An upper bound on the rows the session can occupy, so scrollback never drops a line: each
 * `\n`-separated piece takes at most ceil(length / cols) rows, plus one for its own end.
 */
function rowBound(text: string, cols: number): number {
  let total = 0;
  for (const piece of text.split('\n')) total += Math.ceil(piece.length / cols) + 1;
  return total;
}

function write(term: InstanceType<TerminalClass>, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

export async function renderTranscript(entries: readonly TranscriptEntry[], opts: TranscriptOptions = {}): Promise<string> {
  const cols = opts.cols ?? 80;
  const rows = opts.rows ?? 24;
  const session = entries.map((e) => `$ ${e.command}\r\n${e.output}`);
  const scrollback = rows + session.reduce((n, s) => n + rowBound(s, cols), 0);
  // convertEol: a command's output uses bare `\n` (as docker writes it; a pty with ONLCR would
  // turn it into CRLF), and the terminal must return to column 0 on each one.
  const term = new Terminal({ cols, rows, scrollback, convertEol: true, allowProposedApi: true });
  try {
    // One write: xterm yields to the event loop between separate writes, which made
    // rendering a walkthrough ten times slower than parsing it.
    await write(term, session.join(''));
    const buffer = term.buffer.active;
    const lines: string[] = [];
    // translateToString(true) trims only cells never written; written spaces stay, so trim them too.
    for (let y = 0; y < buffer.length; y++) lines.push((buffer.getLine(y)?.translateToString(true) ?? '').replace(/ +$/, ''));
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n') + '\n';
  } finally {
    term.dispose();
  }
}
