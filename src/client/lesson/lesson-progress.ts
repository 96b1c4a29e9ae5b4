// A lesson page's progress and help (lesson-page.ts loads this chunk once the terminal is
// ready, since none of it can act before: the checks, the step markers, Check and Reset, the
// hint ladder and the Run buttons' wait for a step still converging). Kept out of the page's
// first scripts, so the prompt is not later for it.
import { completeNote } from './complete.js';
import type { LessonTerminalElement, LocalResetLike, StartState, StepResultLike } from './lesson-terminal-api.js';
import { progressStrings, reasonText, renderSteps } from './progress.js';
import { loadDone, loadHelped, progressDamaged, saveDone, saveHelped } from '../progress-store.js';
import { StepTracker, sameCommand } from './step-tracker.js';
import { addHints } from './hints.js';
import { confirmBeforeReset } from './reset-dialog.js';
import type { StartStateHandle } from './start-state.js';
import { parseJson } from './parse-json.js';
import { fill, stepCounts } from '../course/course-state.js';

/** What the Run buttons ask of the lesson's progress. */
export interface Progress {
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

/** Step markers, the Check and Reset buttons, checks after every command, and the hint ladder (its Runs go to `run`). */
export function setupProgress(
  columns: HTMLElement,
  terminal: LessonTerminalElement,
  lessonId: string,
  start: StartState,
  startState: StartStateHandle | undefined,
  local: LocalResetLike,
  reasons: Record<string, string>,
  run: (command: string, bar: HTMLElement, button: HTMLButtonElement) => void,
  signal: AbortSignal,
): Progress {
  const d = columns.dataset;
  const strings = progressStrings(d, reasons);
  const summary = columns.querySelector<HTMLElement>('.lesson-progress-summary');
  const checked = columns.querySelector<HTMLElement>('[data-progress-checked]');
  const markers = Array.from(columns.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'));
  const stepIds = markers.map((m) => m.dataset.step ?? '');
  // Optional steps (Step.astro's data-optional) are counted apart: the lesson is complete without them.
  const optionalIds = markers.filter((m) => m.dataset.optional === 'true').map((m) => m.dataset.step ?? '');
  const counts = () => stepCounts(stepIds, optionalIds, tracker.done);
  const total = stepIds.length - optionalIds.length;
  const solutions = parseJson<Record<string, string[]>>(d.solutions, {});
  const complete = completeNote(columns.querySelector('.sl-markdown-content') ?? columns.querySelector('.lesson-main') ?? columns, {
    title: d.completeTitle ?? 'Lesson complete',
    text: d.completeText ?? 'Every step of this lesson is done.',
    next: d.completeNext ?? '',
    nextHref: d.nextHref,
    nextTitle: d.nextTitle,
  });
  // Said under the progress bar when the browser would not keep the progress, or had it damaged.
  const alert = columns.querySelector<HTMLElement>('[data-progress-alert]');
  const notSaved = d.progressNotSavedText ?? 'Your progress on this lesson could not be saved in this browser.';
  /** Every save goes through here: a refused one is said (and unsaid once one is kept again). */
  const kept = (ok: boolean): void => {
    if (!alert) return;
    if (!ok) alert.textContent = notSaved;
    else if (alert.textContent === notSaved) alert.textContent = '';
  };
  const damaged = progressDamaged(lessonId);
  const helped = loadHelped(lessonId);
  let tracker = new StepTracker(stepIds, loadDone(lessonId), undefined, optionalIds);
  if (damaged) {
    // What could be read is kept (often nothing); stored again, the damage is not found again.
    if (alert) alert.textContent = d.progressDamagedText ?? 'The saved progress of this lesson could not be read, so it was reset.';
    kept(saveDone(lessonId, tracker.done) && saveHelped(lessonId, helped));
  }
  let results: StepResultLike[] = [];
  let settled = false;
  /** "2 of 2 steps done", and the optional ones apart when the lesson has any: " · optional: 0 of 1". */
  const summaryText = (): string => {
    const c = counts();
    const main = fill(d.summaryText ?? '{done} of {total} steps done', { done: c.done, total: c.total });
    return c.optionalTotal === 0 ? main : main + fill(d.summaryOptionalText ?? ' · optional: {done} of {total}', { done: c.optionalDone, total: c.optionalTotal });
  };
  const render = (): void => {
    renderSteps(columns, tracker.done, results, strings, helped);
    if (summary && stepIds.length > 0) summary.textContent = summaryText();
    // Complete once every required step is done, whatever the optional ones are.
    if (total > 0 && counts().done >= total) complete.show(total);
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
    if (saved.lesson === lessonId && Array.isArray(saved.armed)) tracker = new StepTracker(stepIds, tracker.done, saved, optionalIds);
  };

  let checking: Promise<boolean> | undefined;
  /** One round of checks; true when anything changed. */
  const check = (): Promise<boolean> => {
    if (!settled || stepIds.length === 0 || terminal.dataset.state === 'loading') return Promise.resolve(false);
    checking ??= (async () => {
      try {
        results = await terminal.check(lessonId);
        const now = tracker.observe(results);
        // Helped too: a refusal earlier (storage full) may have left it unsaved.
        if (now.length > 0) kept(saveDone(lessonId, tracker.done) && saveHelped(lessonId, helped));
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
    if (!document.hidden && terminal.dataset.state === 'ready' && tracker.done.size < stepIds.length) void check();
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
        // The required steps, as the summary counts them (the optional ones are beside it there).
        requestAnimationFrame(() => (checked.textContent = fill(text, { done: counts().done, total })));
      }),
    { signal },
  );
  const reset = (): void => {
    tracker = new StepTracker(stepIds, [], undefined, optionalIds);
    helped.clear();
    results = [];
    kept(saveDone(lessonId, tracker.done) && saveHelped(lessonId, helped));
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

  const solutionShown = (step: string): void => {
    if (tracker.done.has(step)) return;
    helped.add(step);
    kept(saveHelped(lessonId, helped));
  };
  addHints(
    columns.querySelector('.lesson-main') ?? columns,
    parseJson(d.hints, {}),
    solutions,
    {
      hint: d.hintText ?? 'Hint',
      hintLabel: d.hintLabel ?? 'Show a hint for this step',
      solution: d.solutionText ?? 'Show solution',
      solutionLabel: d.solutionLabel ?? 'Show the commands that complete this step',
      solutionIntro: d.solutionIntro ?? '',
      run: d.runText ?? 'Run',
      runLabel: d.runLabel ?? 'Run this command in the terminal',
    },
    { run, solutionShown },
  );

  const waits = new Map<HTMLButtonElement, () => void>();
  return {
    solutionShown,
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

