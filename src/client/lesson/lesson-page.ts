// A lesson page's client code (loaded only on lesson pages, by LessonClient.astro): the
// terminal drawer, Run/Copy buttons on the command blocks and the lesson's start state; the
// progress, checks and hints follow as a chunk of their own once the terminal is ready.
import './lesson-page.css';
import { nameCodeRegions } from './code-regions.js';
import { setupDrawer } from './drawer.js';
import { expandVars } from '../../../content/lessons/vars.js';
import type { LessonTerminalElement } from './lesson-terminal-api.js';
import { lessonTerminal, parseStartState, terminalReady } from './lesson-terminal-api.js';
import { progressStrings, reasonText, renderSteps } from './progress.js';
import { loadDone, loadHelped, setLastLesson } from '../progress-store.js';
import { parseJson } from './parse-json.js';
import { startNotice } from './start-notice.js';
import type { RunButtonStrings } from './run-buttons.js';
import { addRunButtons } from './run-buttons.js';
import type { StartStateHandle } from './start-state.js';
import { applyStartState } from './start-state.js';
import type { LocalResetLike } from './lesson-terminal-api.js';
import { confirmLocalRemoval } from './local-reset-dialog.js';

/** The lesson pages already set up: the first load runs init() twice (module, page-load). */
const initialized = new WeakSet<HTMLElement>();
/** Ends the shown page's listeners on the persisted terminal when the next page comes in. */
let pageListeners: AbortController | undefined;

function init(): void {
  const columns = document.querySelector<HTMLElement>('.lesson-columns');
  const terminal = lessonTerminal();
  if (!columns || !terminal || initialized.has(columns)) return;
  initialized.add(columns);
  pageListeners?.abort();
  pageListeners = new AbortController();
  const signal = pageListeners.signal;
  const d = columns.dataset;
  const dock = columns.querySelector<HTMLElement>('.lesson-dock');
  const drawer = dock ? setupDrawer(dock) : undefined;

  const lessonId = d.lesson ?? '';
  setLastLesson(lessonId);
  const start = parseStartState(d.lessonStart);
  const reasons = parseJson<Record<string, string>>(d.reasons, {});
  // The stored progress shows at once; the checks (lesson-progress.ts) take over when loaded.
  renderSteps(columns, loadDone(lessonId), [], progressStrings(d, reasons), loadHelped(lessonId));
  const local = localReset(columns, signal);
  const notice = startNotice(columns, signal, () => drawer?.open());
  // data-start-state: pending | applied | kept, for tests and tools that must know when the
  // swarm is in the lesson's start state (or the learner's own swarm was kept).
  const startState: StartStateHandle | undefined = start
    ? applyStartState(
        terminal,
        start,
        { id: lessonId, divider: d.dividerText ?? lessonId, dividerKept: d.dividerKeptText ?? d.dividerText ?? lessonId, reasonText: (r) => reasonText(r, reasons) },
        signal,
        (s) => (columns.dataset.startState = s),
        notice,
        local,
      )
    : undefined;

  const strings: RunButtonStrings = {
    run: d.runText ?? 'Run',
    runLabel: d.runLabel ?? 'Run this command in the terminal',
    copy: d.copyText ?? 'Copy',
    copyLabel: d.copyLabel ?? 'Copy this command',
    copied: d.copiedText ?? 'Copied',
  };
  const main = columns.querySelector('.lesson-main') ?? columns;
  nameCodeRegions(main, { command: d.codeCommand ?? 'Command {n}', output: d.codeOutput ?? 'Output {n}' }, signal);

  // The Run button that last typed into the terminal: where Escape in the terminal goes back to.
  let lastRun: HTMLElement | null = null;
  const run = (command: string, bar: HTMLElement, button: HTMLButtonElement): void => {
    lastRun = document.activeElement instanceof HTMLElement && document.activeElement.dataset.command === 'run' ? document.activeElement : lastRun;
    drawer?.open();
    void runCommand(command, bar, button);
  };
  const runCommand = async (command: string, bar: HTMLElement, button: HTMLButtonElement): Promise<void> => {
    // The lesson's start state first (a notice still asking takes its default, "start").
    await startState?.settled();
    if (signal.aborted) return;
    const step = button.dataset.solution ?? stepOf(button, main);
    const p = await progress.catch(() => undefined);
    if (step && p && !(await p.waitForEarlierSteps(step, bar, button))) return;
    if (signal.aborted) return;
    startState?.markUsed();
    // What cannot be filled is typed as written: the shell then says what is wrong, as it would.
    terminal.typeText(`${(await withVars(terminal, lessonId, command)).text}\n`);
  };
  addRunButtons(main, strings, {
    run,
    copy: async (command) => {
      const { text, missing } = await withVars(terminal, lessonId, command);
      if (missing.length > 0) return (d.copyNoValueText ?? '{names}').replace('{names}', missing.join(', '));
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
  });
  // Progress and help load once the terminal is ready and the page is idle: nothing in them
  // can act before, and the prompt's first frame does not wait for them. So does what moves
  // the dock's split (its place is set before the first paint, by the head script).
  const idle = terminalReady(terminal, signal).then(
    () =>
      new Promise<void>((resolve) => {
        if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: 300 });
        else setTimeout(resolve, 50);
      }),
  );
  const progress = idle.then(async () => {
    const m = await import('./lesson-progress.js');
    return signal.aborted ? undefined : m.setupProgress(columns, terminal, lessonId, start ?? { setup: [] }, startState, local, reasons, run, signal);
  });
  void idle
    .then(() => import('./dock-layout.js'))
    .then((m) => !signal.aborted && m.setupDockLayout(columns, terminal, signal))
    .catch(() => undefined);

  if (dock) leaveTerminalOnEscape(dock, main, () => lastRun, signal);
}

/** The step a lesson element belongs to: the last step marker before it (none before the first). */
function stepOf(el: Element, root: ParentNode): string | undefined {
  let step: string | undefined;
  for (const marker of Array.from(root.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'))) {
    if (marker.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) step = marker.dataset.step;
  }
  return step;
}

/** How this page asks before the real swarm loses Swarm Lab services (local mode), in its language. */
function localReset(columns: HTMLElement, signal: AbortSignal): LocalResetLike {
  const dialog = columns.querySelector<HTMLDialogElement>('dialog.lesson-local-reset-dialog');
  return {
    confirm: (names) => (dialog ? confirmLocalRemoval(dialog, names, signal) : Promise.resolve(false)),
    ...(dialog?.dataset.skippedText ? { skippedText: dialog.dataset.skippedText } : {}),
    ...(dialog?.dataset.failedText ? { failedText: dialog.dataset.failedText } : {}),
  };
}

/**
 * xterm keeps Tab for completion, so in the docked terminal of wide screens the keyboard
 * needs another way out: Escape goes back to the Run button last used (or the first one).
 * On narrow screens the drawer handles Escape (it closes and focuses its toggle).
 */
function leaveTerminalOnEscape(dock: HTMLElement, main: Element, lastRun: () => HTMLElement | null, signal: AbortSignal): void {
  const toggle = dock.querySelector<HTMLElement>('.lesson-dock-toggle');
  dock.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' || !(e.target instanceof Element) || !e.target.closest('lesson-terminal')) return;
      if (toggle && getComputedStyle(toggle).display !== 'none') return;
      const target = lastRun() ?? main.querySelector<HTMLElement>('.lesson-cmd-actions button[data-command="run"]');
      if (!target?.isConnected) return;
      target.focus();
    },
    { capture: true, signal },
  );
}

/**
 * The command with its `$NAME` placeholders (the join token) filled from the running swarm,
 * and the names it could not fill (no swarm yet, or the worker is still loading).
 */
async function withVars(terminal: LessonTerminalElement, lessonId: string, command: string): Promise<{ text: string; missing: string[] }> {
  if (!/\$[A-Z_]/.test(command)) return { text: command, missing: [] };
  // Asked only when needed and when the worker answers.
  const text = expandVars(command, terminal.dataset.state === 'loading' ? {} : await terminal.vars(lessonId).catch(() => ({})));
  return { text, missing: [...new Set(Array.from(text.matchAll(/\$([A-Z_][A-Z0-9_]*)/g), (m) => `$${m[1]}`))] };
}

// At module load for the page that loaded this script, then for every page client-side
// navigation (Astro's <ClientRouter />) shows: a module script runs once per document.
init();
document.addEventListener('astro:page-load', init);
// The outgoing page's listeners end with it; the terminal element itself is persisted.
document.addEventListener('astro:before-swap', () => {
  pageListeners?.abort();
  pageListeners = undefined;
});
