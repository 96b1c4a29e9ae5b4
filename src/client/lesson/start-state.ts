// Puts the terminal's swarm in the lesson's start state when a lesson page shows, unless the
// learner has already used the terminal (typed into it or pressed Run). The swarm outlives
// the page (client-side navigation keeps it; a full page load restores it), so "used" and
// "the start state the swarm was put in" are kept with the swarm itself, as notes on the
// terminal, rather than per page.
import type { LessonTerminalElement, LocalResetLike, StartState } from './lesson-terminal-api.js';
import { isDefaultStart } from './lesson-terminal-api.js';

/**
 * Where the lesson's start state stands: `pending` until the terminal is ready (and while a
 * reset to it runs, or the learner is asked about the real swarm), `applied` once the swarm
 * is in it (reset done, or it already was), `kept` when the learner's own swarm is kept instead.
 */
export type StartStatus = 'pending' | 'applied' | 'kept';

export interface StartStateHandle {
  /** Call when the learner acts on the terminal: a later reset would throw their work away. */
  markUsed(): void;
}

/** Swarm note: the learner has acted on the swarm; it is theirs, no lesson resets it. */
const USED = 'used';
/** Swarm note: the start state the swarm was last put in; none means the fresh default swarm. */
const START = 'start';

/** Set before the terminal is up (a keypress while it loads): handed to the swarm's notes when it is. */
let usedEarly = false;

const keyOf = (start: StartState): string | undefined => (isDefaultStart(start) ? undefined : JSON.stringify(start));

/**
 * For the current page; `signal` ends its listeners when the page is swapped out. `local`
 * asks the learner before the real swarm (local mode) loses anything; without it the real
 * swarm is only ever reset where nothing would be removed.
 */
export function applyStartState(
  terminal: LessonTerminalElement,
  start: StartState,
  signal?: AbortSignal,
  onStatus: (s: StartStatus) => void = () => undefined,
  local?: LocalResetLike,
): StartStateHandle {
  onStatus('pending');
  const markUsed = (): void => {
    // While the terminal loads, its swarm (and so its notes) may still be replaced.
    if (terminal.dataset.state === 'loading') usedEarly = true;
    terminal.setSwarmMeta(USED, 'yes');
  };
  terminal.addEventListener('keydown', markUsed, { capture: true, signal });
  terminal.addEventListener('paste', markUsed, { capture: true, signal });

  // A fresh swarm is the default one, and a swarm an earlier lesson page left in this very
  // state needs nothing either; any other start state needs a reset.
  const wanted = keyOf(start);
  const whenReady = (): void => {
    if (terminal.dataset.state !== 'ready') return;
    observer.disconnect();
    if (signal?.aborted) return;
    if (usedEarly) terminal.setSwarmMeta(USED, 'yes');
    usedEarly = false;
    if (terminal.getSwarmMeta(USED) === 'yes') return onStatus('kept');
    if (terminal.backend === 'local') {
      // The real swarm: the server knows whether it is still in this start state, and plans
      // what reaching it would remove; the learner is asked before anything is.
      let kept = false;
      const hooks: LocalResetLike = { confirm: () => Promise.resolve(false), ...local, kept: () => (kept = true) };
      void terminal.resetSwarm(start, hooks).then(
        () => !signal?.aborted && onStatus(kept ? 'kept' : 'applied'),
        () => !signal?.aborted && onStatus('kept'), // refused or the server went away: the swarm is as it was
      );
      return;
    }
    if (terminal.getSwarmMeta(START) === wanted) return onStatus('applied');
    terminal.setSwarmMeta(START, wanted);
    void terminal.resetSwarm(start).then(
      () => !signal?.aborted && onStatus('applied'),
      () => undefined, // the worker died: it restarts from its saved state and says so
    );
  };
  const observer = new MutationObserver(whenReady);
  observer.observe(terminal, { attributes: true, attributeFilter: ['data-state'] });
  signal?.addEventListener('abort', () => observer.disconnect(), { once: true });
  whenReady();
  return { markUsed };
}
