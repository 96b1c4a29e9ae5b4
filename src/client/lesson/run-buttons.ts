// Run and Copy buttons under every command block of a lesson. Run types the command into
// the page's terminal as if the learner had (Ctrl-C first if a command is still running).
import { commandBlocks, commandText } from './command-text.js';

export interface RunButtonStrings {
  run: string;
  runLabel: string;
  copy: string;
  copyLabel: string;
  copied: string;
}

export interface RunButtonActions {
  /** `bar` holds the buttons and a status line (`.lesson-cmd-status`) the action may fill. */
  run(command: string, bar: HTMLElement, button: HTMLButtonElement): void;
  /** Resolves to a message to show instead of "Copied" when nothing was copied. */
  copy(command: string): Promise<string | void>;
}

const COPIED_MS = 1500;
const NOT_COPIED_MS = 8000;

/** Adds the buttons once per block (a second call finds them and adds nothing). */
export function addRunButtons(root: ParentNode, strings: RunButtonStrings, actions: RunButtonActions): number {
  let added = 0;
  for (const block of commandBlocks(root)) {
    if (block.nextElementSibling?.classList.contains('lesson-cmd-actions')) continue;
    block.classList.add('lesson-cmd');
    const { bar, status } = actionBar('lesson-cmd-actions not-content');

    const run = button(strings.run, strings.runLabel, 'run');
    run.addEventListener('click', () => actions.run(commandText(block), bar, run));

    const copy = button(strings.copy, strings.copyLabel, 'copy');
    let timer: ReturnType<typeof setTimeout> | undefined;
    copy.addEventListener('click', () => {
      void actions.copy(commandText(block)).then((problem) => {
        clearTimeout(timer);
        if (problem) {
          status.textContent = problem;
          timer = setTimeout(() => (status.textContent = ''), NOT_COPIED_MS);
          return;
        }
        copy.textContent = strings.copied;
        timer = setTimeout(() => (copy.textContent = strings.copy), COPIED_MS);
      });
    });

    bar.append(run, copy);
    block.after(bar);
    added++;
  }
  return added;
}

/** A bar for a command's buttons, led by the status line its actions may fill. */
export function actionBar(className: string): { bar: HTMLDivElement; status: HTMLSpanElement } {
  const bar = document.createElement('div');
  bar.className = className;
  const status = document.createElement('span');
  status.className = 'lesson-cmd-status';
  status.setAttribute('role', 'status');
  bar.append(status);
  return { bar, status };
}

export function button(text: string, label: string, kind: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  // A fuller name than the one word; the translations keep the visible word in it (WCAG 2.5.3).
  b.setAttribute('aria-label', label);
  b.title = label;
  b.dataset.command = kind;
  return b;
}
