// Puts the terminal's swarm in the lesson's start state when the page loads, unless the
// learner has already used the terminal on this visit (typed into it or pressed Run).
import type { LessonTerminalElement, StartState } from './lesson-terminal-api.js';
import { isDefaultStart } from './lesson-terminal-api.js';

export interface StartStateHandle {
  /** Call when the learner acts on the terminal: a later reset would throw their work away. */
  markUsed(): void;
}

export function applyStartState(terminal: LessonTerminalElement, start: StartState): StartStateHandle {
  let used = false;
  const markUsed = (): void => {
    used = true;
  };
  terminal.addEventListener('keydown', markUsed, { capture: true, once: true });
  terminal.addEventListener('paste', markUsed, { capture: true, once: true });

  // A fresh page already has the default swarm; only other start states need a reset.
  if (!isDefaultStart(start)) {
    const whenReady = (): void => {
      if (terminal.dataset.state !== 'ready') return;
      observer.disconnect();
      if (used) return;
      void terminal.resetSwarm(start);
    };
    const observer = new MutationObserver(whenReady);
    observer.observe(terminal, { attributes: true, attributeFilter: ['data-state'] });
    whenReady();
  }
  return { markUsed };
}
