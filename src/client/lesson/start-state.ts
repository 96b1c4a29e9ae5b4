// Puts the terminal's swarm in the lesson's start state when a lesson page shows, unless the
// learner has already used the terminal on this visit (typed into it or pressed Run). With
// client-side navigation the swarm outlives the page, so what "used" and "the swarm's start
// state" mean is kept here, at module level, for the whole visit rather than per page.
import type { LessonTerminalElement, StartState } from './lesson-terminal-api.js';
import { isDefaultStart } from './lesson-terminal-api.js';

export interface StartStateHandle {
  /** Call when the learner acts on the terminal: a later reset would throw their work away. */
  markUsed(): void;
}

/** The learner has acted on the swarm during this visit: it is theirs, no lesson resets it. */
let used = false;
/** The start state the swarm was last put in; undefined means the fresh default swarm. */
let current: string | undefined;

const keyOf = (start: StartState): string | undefined => (isDefaultStart(start) ? undefined : JSON.stringify(start));

const markUsed = (): void => {
  used = true;
};

/** For the current page; `signal` ends its listeners when the page is swapped out. */
export function applyStartState(terminal: LessonTerminalElement, start: StartState, signal?: AbortSignal): StartStateHandle {
  terminal.addEventListener('keydown', markUsed, { capture: true, signal });
  terminal.addEventListener('paste', markUsed, { capture: true, signal });

  // A fresh page already has the default swarm, and a swarm the previous lesson page left in
  // this very state needs nothing either; any other start state needs a reset.
  const wanted = keyOf(start);
  if (wanted !== current) {
    const whenReady = (): void => {
      if (terminal.dataset.state !== 'ready') return;
      observer.disconnect();
      if (used || signal?.aborted) return;
      current = wanted;
      void terminal.resetSwarm(start);
    };
    const observer = new MutationObserver(whenReady);
    observer.observe(terminal, { attributes: true, attributeFilter: ['data-state'] });
    signal?.addEventListener('abort', () => observer.disconnect(), { once: true });
    whenReady();
  }
  return { markUsed };
}
