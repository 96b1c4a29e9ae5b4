// A lesson page's client code (loaded only on lesson pages, by LessonClient.astro): the
// terminal drawer, Run/Copy buttons on the command blocks, and the lesson's start state.
import './lesson-page.css';
import { nameCodeRegions } from './code-regions.js';
import { completeNote } from './complete.js';
import { setupDrawer } from './drawer.js';
import { expandVars } from '../../../content/lessons/run.js';
import type { LessonTerminalElement, StartState, StepResultLike } from './lesson-terminal-api.js';
import { lessonTerminal, parseStartState } from './lesson-terminal-api.js';
import type { ProgressStrings } from './progress.js';
import { loadDone, renderSteps, saveDone } from './progress.js';
import type { RunButtonStrings } from './run-buttons.js';
import { addRunButtons } from './run-buttons.js';
import type { StartStateHandle } from './start-state.js';
import { applyStartState } from './start-state.js';
import { confirmBeforeReset } from './reset-dialog.js';
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
  const start = parseStartState(d.lessonStart);
  // data-start-state: pending | applied | kept, for tests and tools that must know when the
  // swarm is in the lesson's start state (or the learner's own swarm was kept).
  const local = localReset(columns, signal);
  const startState: StartStateHandle | undefined = start
    ? applyStartState(terminal, start, signal, (s) => (columns.dataset.startState = s), local)
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
  addRunButtons(main, strings, {
    run: (command) => {
      lastRun = document.activeElement instanceof HTMLElement && document.activeElement.dataset.command === 'run' ? document.activeElement : lastRun;
      startState?.markUsed();
      drawer?.open();
      void typeCommand(terminal, lessonId, command);
    },
    copy: async (command) => {
      await navigator.clipboard?.writeText(command).catch(() => undefined);
    },
  });

  if (dock) leaveTerminalOnEscape(dock, main, () => lastRun, signal);

  setupProgress(columns, terminal, lessonId, start ?? { setup: [] }, startState, local, signal);
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
      const target = lastRun() ?? main.querySelector<HTMLElement>('button[data-command="run"]');
      if (!target?.isConnected) return;
      target.focus();
    },
    { capture: true, signal },
  );
}

/** `$NAME` placeholders (the join token) take the running swarm's values before typing. */
async function typeCommand(terminal: LessonTerminalElement, lessonId: string, command: string): Promise<void> {
  let text = command;
  if (/\$[A-Z_]/.test(command) && terminal.dataset.state !== 'loading') {
    // Asked only when needed and when the worker answers: a Run before it is ready types as written.
    text = expandVars(command, await terminal.vars(lessonId).catch(() => ({})));
  }
  terminal.typeText(`${text}\n`);
}

function parseReasons(json: string | undefined): Record<string, string> {
  try {
    const v: unknown = JSON.parse(json ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Step markers, the Check and Reset buttons, and checks after every command. */
function setupProgress(
  columns: HTMLElement,
  terminal: LessonTerminalElement,
  lessonId: string,
  start: StartState,
  startState: StartStateHandle | undefined,
  local: LocalResetLike,
  signal: AbortSignal,
): void {
  const d = columns.dataset;
  const strings: ProgressStrings = { done: d.doneText ?? 'Done', notDone: d.notDoneText ?? 'Not done yet', reasons: parseReasons(d.reasons) };
  const summary = columns.querySelector<HTMLElement>('.lesson-progress-summary');
  const total = columns.querySelectorAll('span.lesson-step[data-step]').length;
  const complete = completeNote(columns.querySelector('.sl-markdown-content') ?? columns.querySelector('.lesson-main') ?? columns, {
    title: d.completeTitle ?? 'Lesson complete',
    text: d.completeText ?? 'Every step of this lesson is done.',
    next: d.completeNext ?? '',
    nextHref: d.nextHref,
    nextTitle: d.nextTitle,
  });
  const done = loadDone(lessonId);
  let results: StepResultLike[] = [];
  const render = (): void => {
    renderSteps(columns, done, results, strings);
    if (summary && total > 0)
      summary.textContent = (d.summaryText ?? '{done} of {total} steps done').replace('{done}', String(done.size)).replace('{total}', String(total));
    if (total > 0 && done.size >= total) complete.show(total);
    else complete.hide();
  };
  render();

  let checking = false;
  const check = async (): Promise<void> => {
    if (checking || terminal.dataset.state === 'loading') return;
    checking = true;
    try {
      results = await terminal.check(lessonId);
      for (const r of results) if (r.ok) done.add(r.stepId);
      saveDone(lessonId, done);
      render();
    } catch {
      /* the worker restarted or is resetting: the next command checks again */
    } finally {
      checking = false;
    }
  };
  terminal.addEventListener('lesson-command', () => void check(), { signal });
  // Detached commands (`--detach` updates) finish converging after the prompt is back.
  const poll = setInterval(() => {
    if (!document.hidden && terminal.dataset.state === 'ready' && done.size < total) void check();
  }, 4000);
  signal.addEventListener('abort', () => clearInterval(poll), { once: true });
  // Reached by client-side navigation, the swarm the learner brought along may already
  // satisfy steps of this lesson (a page load's terminal is still loading: no-op then).
  if (total > 0) void check();

  columns.querySelector('[data-progress="check"]')?.addEventListener('click', () => void check());
  const reset = (): void => {
    startState?.markUsed();
    done.clear();
    results = [];
    saveDone(lessonId, done);
    render();
    // On the real swarm the Reset button always resets (asking first if services would go).
    void terminal.resetSwarm(start, { ...local, force: true }).then(check, () => undefined);
  };
  const resetButton = columns.querySelector<HTMLElement>('[data-progress="reset"]');
  if (resetButton && !confirmBeforeReset(resetButton, columns.querySelector('dialog.lesson-reset-dialog'), reset, signal, () => terminal.backend === 'local')) {
    resetButton.addEventListener('click', reset, { signal });
  }
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
