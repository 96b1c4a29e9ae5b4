// A lesson page's client code (loaded only on lesson pages, by LessonClient.astro): the
// terminal drawer, Run/Copy buttons on the command blocks, and the lesson's start state.
import './lesson-page.css';
import { setupDrawer } from './drawer.js';
import { lessonTerminal, parseStartState } from './lesson-terminal-api.js';
import type { RunButtonStrings } from './run-buttons.js';
import { addRunButtons } from './run-buttons.js';
import type { StartStateHandle } from './start-state.js';
import { applyStartState } from './start-state.js';

function init(): void {
  const columns = document.querySelector<HTMLElement>('.lesson-columns');
  const terminal = lessonTerminal();
  if (!columns || !terminal) return;
  const d = columns.dataset;
  const dock = columns.querySelector<HTMLElement>('.lesson-dock');
  const drawer = dock ? setupDrawer(dock) : undefined;

  const start = parseStartState(d.lessonStart);
  const startState: StartStateHandle | undefined = start ? applyStartState(terminal, start) : undefined;

  const strings: RunButtonStrings = {
    run: d.runText ?? 'Run',
    runLabel: d.runLabel ?? 'Run this command in the terminal',
    copy: d.copyText ?? 'Copy',
    copyLabel: d.copyLabel ?? 'Copy this command',
    copied: d.copiedText ?? 'Copied',
  };
  const main = columns.querySelector('.lesson-main') ?? columns;
  addRunButtons(main, strings, {
    run: (command) => {
      startState?.markUsed();
      drawer?.open();
      // TODO(vars): `$NAME` placeholders (the join token in add-nodes) are typed as written;
      // expanding them needs the lesson's vars, which only the worker's swarm can compute.
      terminal.typeText(`${command}\n`);
    },
    copy: async (command) => {
      await navigator.clipboard?.writeText(command).catch(() => undefined);
    },
  });
}

init();
