// The page's xterm.js instance as the lesson dock wants it: font, size, scrollback, theme
// (following Starlight's light/dark switch), and the width reported to the engine while a
// command runs. Split out of terminal-session.ts, which keeps the session's behaviour.
import { Terminal } from '@xterm/xterm';
import { currentThemeName, terminalTheme } from './theme.js';

/**
 * 12 px: at this size the dock of a 1440x900 screen holds docker's widest tables in the
 * lessons (`docker ps`, 144 columns; `docker service ps redis` with its history and ERROR
 * column, 140) beside a readable lesson column. LessonColumns.astro sizes the dock from the
 * same figure (`--lt-font-size`, `--lt-cell`); change both together.
 */
export const TERMINAL_FONT_SIZE = 12;

/** The terminal, not yet opened; its theme follows the page's from now on. */
export function createTerminal(screenReaderMode: boolean): Terminal {
  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: TERMINAL_FONT_SIZE,
    // At 1.0 the DOM renderer clips glyphs that reach below the baseline: `\_` lost its underscore.
    lineHeight: 1.15,
    scrollback: 5000,
    screenReaderMode,
    theme: terminalTheme(currentThemeName()),
    allowProposedApi: false,
  });
  new MutationObserver(() => (term.options.theme = terminalTheme(currentThemeName()))).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
  return term;
}

/**
 * Tells the engine of a running command each new width of the terminal: docker's progress
 * display redraws its lines in place by counting their rows, and xterm rewraps them when
 * the width changes (the dock's split dragged, a phone turned). Between commands nothing
 * is sent: each command starts with the width of its moment.
 */
export function reportWidth(term: Terminal, running: () => { resize(columns: number): Promise<unknown> } | undefined): void {
  term.onResize(({ cols }) => void running()?.resize(cols).catch(() => undefined));
}
