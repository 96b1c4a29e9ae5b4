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
  run(command: string): void;
  copy(command: string): Promise<void>;
}

const COPIED_MS = 1500;

/** Adds the buttons once per block (a second call finds them and adds nothing). */
export function addRunButtons(root: ParentNode, strings: RunButtonStrings, actions: RunButtonActions): number {
  let added = 0;
  for (const block of commandBlocks(root)) {
    if (block.nextElementSibling?.classList.contains('lesson-cmd-actions')) continue;
    block.classList.add('lesson-cmd');
    const bar = document.createElement('div');
    bar.className = 'lesson-cmd-actions not-content';

    const run = button(strings.run, strings.runLabel, 'run');
    run.addEventListener('click', () => actions.run(commandText(block)));

    const copy = button(strings.copy, strings.copyLabel, 'copy');
    let timer: ReturnType<typeof setTimeout> | undefined;
    copy.addEventListener('click', () => {
      void actions.copy(commandText(block)).then(() => {
        copy.textContent = strings.copied;
        clearTimeout(timer);
        timer = setTimeout(() => (copy.textContent = strings.copy), COPIED_MS);
      });
    });

    bar.append(run, copy);
    block.after(bar);
    added++;
  }
  return added;
}

function button(text: string, label: string, kind: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  // A fuller name than the one word; the translations keep the visible word in it (WCAG 2.5.3).
  b.setAttribute('aria-label', label);
  b.title = label;
  b.dataset.command = kind;
  return b;
}
