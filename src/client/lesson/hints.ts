// The hint ladder under each step marker: first a hint in words, then "Show solution" with
// the step's solution lines (the lesson metadata's) and a Run button for each. Built once
// per marker, beside it, so the markers' re-rendering after every check leaves it alone.
import { actionBar, button } from './run-buttons.js';

export interface HintStrings {
  hint: string;
  hintLabel: string;
  solution: string;
  solutionLabel: string;
  solutionIntro: string;
  run: string;
  runLabel: string;
}

export interface HintActions {
  /** A solution line's Run: types it (with `$NAME` values) into the terminal. */
  run(line: string, bar: HTMLElement, button: HTMLButtonElement): void;
  /** The learner asked for the step's solution. */
  solutionShown(stepId: string): void;
}

export function addHints(
  root: ParentNode,
  hints: Record<string, string>,
  solutions: Record<string, string[]>,
  strings: HintStrings,
  actions: HintActions,
): void {
  for (const marker of Array.from(root.querySelectorAll<HTMLElement>('span.lesson-step[data-step]'))) {
    const id = marker.dataset.step ?? '';
    const lines = solutions[id];
    if (!lines || marker.nextElementSibling?.classList.contains('lesson-hint')) continue;
    const box = document.createElement('div');
    box.className = 'lesson-hint not-content';
    box.dataset.hintFor = id;
    const buttons = document.createElement('div');
    buttons.className = 'lesson-hint-buttons';

    const text = document.createElement('p');
    text.className = 'lesson-hint-text';
    text.hidden = true;
    text.id = `lesson-hint-${id}`;
    text.textContent = hints[id] ?? '';

    const solution = document.createElement('div');
    solution.className = 'lesson-hint-solution';
    solution.hidden = true;
    solution.id = `lesson-solution-${id}`;
    const intro = document.createElement('p');
    intro.textContent = strings.solutionIntro;
    solution.append(intro);
    for (const line of lines) {
      const pre = document.createElement('pre');
      pre.textContent = line;
      const { bar } = actionBar('lesson-solution-actions');
      const run = button(strings.run, strings.runLabel, 'run');
      run.dataset.solution = id;
      run.addEventListener('click', () => actions.run(line, bar, run));
      bar.append(run);
      solution.append(pre, bar);
    }

    const showHint = button(strings.hint, strings.hintLabel, 'hint');
    showHint.setAttribute('aria-expanded', 'false');
    showHint.setAttribute('aria-controls', text.id);
    const showSolution = button(strings.solution, strings.solutionLabel, 'solution');
    showSolution.setAttribute('aria-expanded', 'false');
    showSolution.setAttribute('aria-controls', solution.id);
    // A ladder: the solution is offered once the hint has been read.
    showSolution.hidden = true;
    showHint.addEventListener('click', () => {
      text.hidden = !text.hidden;
      showHint.setAttribute('aria-expanded', String(!text.hidden));
      showSolution.hidden = false;
    });
    showSolution.addEventListener('click', () => {
      solution.hidden = !solution.hidden;
      showSolution.setAttribute('aria-expanded', String(!solution.hidden));
      if (!solution.hidden) actions.solutionShown(id);
    });
    buttons.append(showHint, showSolution);
    box.append(buttons, text, solution);
    marker.after(box);
  }
}
