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
import { reasonText, renderSteps } from './progress.js';
import { loadDone, loadHelped, saveDone, saveHelped, setLastLesson } from '../progress-store.js';
import { StepTracker, sameCommand } from './step-tracker.js';
import { addHints } from './hints.js';
import { startNotice } from './start-notice.js';
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
  setLastLesson(lessonId);
  const start = parseStartState(d.lessonStart);
  const reasons = parseJson<Record<string, string>>(d.reasons, {});
  const local = localReset(columns, signal);
  const notice = startNotice(columns, signal, () => drawer?.open());
  // data-start-state: pending | applied | kept, for tests and tools that must know when the
  // swarm is in the lesson's start state (or the learner's own swarm was kept).
  const startState: StartStateHandle | undefined = start
    ? applyStartState(
        terminal,
        start,
        { id: lessonId, divider: d.dividerText ?? lessonId, reasonText: (r) => reasonText(r, reasons) },
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
  const progress = setupProgress(columns, terminal, lessonId, start ?? { setup: [] }, startState, local, reasons, signal);

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
    if (step && !(await progress.waitForEarlierSteps(step, bar, button))) return;
    startState?.markUsed();
    await typeCommand(terminal, lessonId, command);
  };
  addRunButtons(main, strings, {
    run,
    copy: async (command) => {
      const text = await expandForCopy(terminal, lessonId, command);
      if (typeof text !== 'string') return (d.copyNoValueText ?? '{names}').replace('{names}', text.missing.join(', '));
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
  });
  addHints(
    main,
    parseJson(d.hints, {}),
    parseJson(d.solutions, {}),
    {
      hint: d.hintText ?? 'Hint',
      hintLabel: d.hintLabel ?? 'Show a hint for this step',
      solution: d.solutionText ?? 'Show solution',
      solutionLabel: d.solutionLabel ?? 'Show the commands that complete this step',
      solutionIntro: d.solutionIntro ?? '',
      run: strings.run,
      runLabel: strings.runLabel,
    },
    { run, solutionShown: (id) => progress.solutionShown(id) },
  );

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

/** `$NAME` placeholders (the join token) take the running swarm's values before typing. */
async function typeCommand(terminal: LessonTerminalElement, lessonId: string, command: string): Promise<void> {
  let text = command;
  if (/\$[A-Z_]/.test(command) && terminal.dataset.state !== 'loading') {
    // Asked only when needed and when the worker answers: a Run before it is ready types as written.
    text = expandVars(command, await terminal.vars(lessonId).catch(() => ({})));
  }
  terminal.typeText(`${text}\n`);
}

/** The command as Copy should put it on the clipboard: with the swarm's values, or the names it lacks. */
async function expandForCopy(terminal: LessonTerminalElement, lessonId: string, command: string): Promise<string | { missing: string[] }> {
  if (!/\$[A-Z_]/.test(command)) return command;
  const vars = terminal.dataset.state === 'loading' ? {} : await terminal.vars(lessonId).catch(() => ({}));
  const text = expandVars(command, vars);
  const missing = [...new Set(Array.from(text.matchAll(/\$([A-Z_][A-Z0-9_]*)/g), (m) => `$${m[1]}`))];
  return missing.length > 0 ? { missing } : text;
}

function parseJson<T extends object>(json: string | undefined, fallback: T): T {
  try {
    const v: unknown = JSON.parse(json ?? '');
    return v && typeof v === 'object' ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

/** What the Run buttons ask of the lesson's progress. */
interface Progress {
  /**
   * Before a command of `step` runs: waits (visibly, on its button) while an earlier step
   * whose command the learner ran is still converging (a detached update), so a command
   * never races the one before it. Pressing the button again runs at once.
   */
  waitForEarlierSteps(step: string, bar: HTMLElement, button: HTMLButtonElement): Promise<boolean>;
  /** The learner opened a step's solution. */
  solutionShown(step: string): void;
}

/** How long a Run waits for an earlier step before typing anyway (wall time). */
const RUN_WAIT_MS = 120_000;
/** Swarm note: the step tracker's state for the lesson the swarm is in (see step-tracker.ts). */
const STEPS_META = 'steps';

/** Step markers, the Check and Reset buttons, and checks after every command. */
function setupProgress(
  columns: HTMLElement,
  terminal: LessonTerminalElement,
  lessonId: string,
  start: StartState,
  startState: StartStateHandle | undefined,
  local: LocalResetLike,
  reasons: Record<string, string>,
  signal: AbortSignal,
): Progress {
  const d = columns.dataset;
  const strings: ProgressStrings = {
    done: d.doneText ?? 'Done',
    notDone: d.notDoneText ?? 'Not done yet',
    helped: d.helpedText ?? 'Done with the solution shown',
    reasons,
  };
  const summary = columns.querySelector<HTMLElement>('.lesson-progress-summary');
  const checked = columns.querySelector<HTMLElement>('[data-progress-checked]');
  const stepIds = Array.from(columns.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'), (m) => m.dataset.step ?? '');
  const total = stepIds.length;
  const solutions = parseJson<Record<string, string[]>>(d.solutions, {});
  const complete = completeNote(columns.querySelector('.sl-markdown-content') ?? columns.querySelector('.lesson-main') ?? columns, {
    title: d.completeTitle ?? 'Lesson complete',
    text: d.completeText ?? 'Every step of this lesson is done.',
    next: d.completeNext ?? '',
    nextHref: d.nextHref,
    nextTitle: d.nextTitle,
  });
  const helped = loadHelped(lessonId);
  let tracker = new StepTracker(stepIds, loadDone(lessonId));
  let results: StepResultLike[] = [];
  let settled = false;
  const summaryText = (): string =>
    (d.summaryText ?? '{done} of {total} steps done').replace('{done}', String(tracker.done.size)).replace('{total}', String(total));
  const render = (): void => {
    renderSteps(columns, tracker.done, results, strings, helped);
    if (summary && total > 0) summary.textContent = summaryText();
    if (total > 0 && tracker.done.size >= total) complete.show(total);
    else complete.hide();
  };
  render();

  /** The tracker's arming, kept with the swarm: a reload mid-lesson goes on where it was. */
  const saveTracker = (): void => {
    const { armed, ran } = tracker.state();
    terminal.setSwarmMeta(STEPS_META, JSON.stringify({ lesson: lessonId, armed, ran }));
  };
  const restoreTracker = (): void => {
    const saved = parseJson<{ lesson?: string; armed?: string[]; ran?: string[] }>(terminal.getSwarmMeta(STEPS_META), {});
    if (saved.lesson === lessonId && Array.isArray(saved.armed)) tracker = new StepTracker(stepIds, tracker.done, saved);
  };

  let checking: Promise<boolean> | undefined;
  /** One round of checks; true when anything changed. */
  const check = (): Promise<boolean> => {
    if (!settled || total === 0 || terminal.dataset.state === 'loading') return Promise.resolve(false);
    checking ??= (async () => {
      try {
        results = await terminal.check(lessonId);
        const now = tracker.observe(results);
        if (now.length > 0) saveDone(lessonId, tracker.done);
        saveTracker();
        render();
        return now.length > 0;
      } catch {
        return false; // the worker restarted or is resetting: the next command checks again
      } finally {
        checking = undefined;
      }
    })();
    return checking;
  };

  // The first look at the swarm, once it is in the lesson's start state (or kept): what
  // passes already then does not count as done by this lesson (step-tracker.ts).
  const begin = (): void => {
    if (signal.aborted) return;
    settled = true;
    restoreTracker();
    void check();
  };
  if (startState) void startState.whenSettled().then(begin);
  else begin();

  terminal.addEventListener(
    'lesson-command',
    (e) => {
      const line = (e as CustomEvent<{ line: string }>).detail?.line ?? '';
      // A step's own command (its solution's docker lines) arms it even if it passed already.
      for (const [step, lines] of Object.entries(solutions)) {
        if (lines.some((l) => l.startsWith('docker ') && sameCommand(line, l))) tracker.ranCommandOf(step);
      }
      void check();
    },
    { signal },
  );
  // Detached commands (`--detach` updates) finish converging after the prompt is back.
  const poll = setInterval(() => {
    if (!document.hidden && terminal.dataset.state === 'ready' && tracker.done.size < total) void check();
  }, 4000);
  signal.addEventListener('abort', () => clearInterval(poll), { once: true });

  columns.querySelector('[data-progress="check"]')?.addEventListener(
    'click',
    () =>
      void check().then((changed) => {
        if (!checked) return;
        const text = (changed ? d.checkedText : d.checkedSameText) ?? '{done} of {total}';
        // Said even when nothing changed, so a press never looks ignored.
        checked.textContent = '';
        requestAnimationFrame(() => (checked.textContent = text.replace('{done}', String(tracker.done.size)).replace('{total}', String(total))));
      }),
    { signal },
  );
  const reset = (): void => {
    tracker = new StepTracker(stepIds, []);
    helped.clear();
    results = [];
    saveDone(lessonId, tracker.done);
    saveHelped(lessonId, helped);
    if (checked) checked.textContent = '';
    render();
    settled = false;
    terminal.setSwarmMeta(STEPS_META, undefined);
    // On the real swarm the Reset button always resets (asking first if services would go).
    const hooks = { ...local, force: true };
    void (startState ? startState.reset(hooks) : terminal.resetSwarm(start, hooks)).then(begin, () => undefined);
  };
  const dialog = columns.querySelector<HTMLDialogElement>('dialog.lesson-reset-dialog');
  for (const button of Array.from(columns.querySelectorAll<HTMLElement>('[data-progress="reset"], [data-dock="reset"]'))) {
    if (!confirmBeforeReset(button, dialog, reset, signal, () => terminal.backend === 'local')) button.addEventListener('click', reset, { signal });
  }

  const waits = new Map<HTMLButtonElement, () => void>();
  return {
    solutionShown: (step) => {
      if (tracker.done.has(step)) return;
      helped.add(step);
      saveHelped(lessonId, helped);
    },
    waitForEarlierSteps: async (step, bar, button) => {
      const skip = waits.get(button);
      if (skip) {
        skip(); // pressed again while waiting: the waiting run goes on now, this press adds nothing
        return false;
      }
      if (tracker.converging(step).length === 0) return true;
      await check();
      if (tracker.converging(step).length === 0 || signal.aborted) return !signal.aborted;
      const status = bar.querySelector<HTMLElement>('.lesson-cmd-status');
      const label = button.textContent;
      button.textContent = d.runNowText ?? 'Run now';
      button.setAttribute('aria-busy', 'true');
      const say = (): void => {
        const first = tracker.converging(step)[0];
        const reason = results.find((r) => r.stepId === first && !r.ok)?.reason;
        if (status) status.textContent = reason ? (d.waitingReasonText ?? '{reason}').replace('{reason}', reasonText(reason, reasons)) : (d.waitingText ?? '');
      };
      say();
      await new Promise<void>((resolve) => {
        const end = Date.now() + RUN_WAIT_MS;
        const timer = setInterval(() => {
          if (signal.aborted || Date.now() > end || tracker.converging(step).length === 0) return finish();
          void check().then(say);
        }, 500);
        const finish = (): void => {
          clearInterval(timer);
          resolve();
        };
        waits.set(button, finish);
      });
      waits.delete(button);
      button.textContent = label;
      button.removeAttribute('aria-busy');
      if (status) status.textContent = '';
      return !signal.aborted;
    },
  };
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
