// Puts the terminal's swarm in the lesson's start state when a lesson page shows. The swarm
// outlives the page (client-side navigation keeps it; a full page load restores it), so what
// the page needs to know about it is kept with the swarm itself, as notes on the terminal:
//  - `used`: the learner has acted on it (typed, pressed Run) since it was last put in a
//    lesson's start state: it is theirs now;
//  - `start`: the start state it was last put in;
//  - `lesson`: the lesson whose divider the terminal last showed.
// An untouched swarm is simply put in this lesson's start state. A used one is kept when it
// meets what the lesson starts from (`Lesson.requires`, asked of the worker); when it does
// not, the dock's notice says what differs and the learner chooses (start, the default, or
// keep). On the real swarm (local mode) the server plans and the learner confirms removals.
import type { LessonTerminalElement, LocalResetLike, StartState } from './lesson-terminal-api.js';
import { isDefaultStart, terminalReady } from './lesson-terminal-api.js';
import type { StartNotice } from './start-notice.js';

/**
 * Where the lesson's start state stands: `pending` until the terminal is ready (and while a
 * reset to it runs, or the learner is asked), `applied` once the swarm is in it (reset done,
 * or it already was), `kept` when the learner's own swarm is kept instead.
 */
export type StartStatus = 'pending' | 'applied' | 'kept';

export interface StartStateHandle {
  /** Call when the learner acts on the terminal: a later reset would throw their work away. */
  markUsed(): void;
  /**
   * Reset (the progress bar's or the dock's): the swarm back in the lesson's start state, its
   * divider drawn again on the cleared screen. `local` asks before the real swarm loses anything.
   */
  reset(local?: LocalResetLike): Promise<void>;
  /** Resolves once the status is applied or kept (a Run pressed while asked takes the default). */
  settled(): Promise<StartStatus>;
  /** Resolves once the status is applied or kept, however long the learner takes to answer. */
  whenSettled(): Promise<StartStatus>;
}

export interface LessonInfo {
  id: string;
  /** The dim line the terminal shows where this lesson begins. */
  divider: string;
  /** The same, when the learner's swarm from before carries on into this lesson. */
  dividerKept: string;
  /** Localized texts of the precondition's reasons, to say what differs. */
  reasonText(reason: { key: string; params?: Record<string, string | number> }): string;
}

/** Swarm note: the learner has acted on the swarm since its last start state. */
const USED = 'used';
/** Swarm note: the start state the swarm was last put in; none means the fresh default swarm. */
const START = 'start';
/** Swarm note: lesson-page.ts's step tracking for the lesson the swarm is in; a fresh start state has none. */
const STEPS = 'steps';
/** Swarm note: the lesson the terminal's last divider names. */
const LESSON = 'lesson';

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
  lesson: LessonInfo,
  signal: AbortSignal,
  onStatus: (s: StartStatus) => void,
  notice: StartNotice | undefined,
  local?: LocalResetLike,
): StartStateHandle {
  let status: StartStatus = 'pending';
  const waiters: ((s: StartStatus) => void)[] = [];
  const set = (s: StartStatus): void => {
    if (signal.aborted) return;
    status = s;
    onStatus(s);
    if (s !== 'pending') for (const w of waiters.splice(0)) w(s);
  };
  set('pending');
  const wanted = keyOf(start);
  const markUsed = (): void => {
    // While the terminal loads, its swarm (and so its notes) may still be replaced.
    if (terminal.dataset.state === 'loading') usedEarly = true;
    terminal.setSwarmMeta(USED, 'yes');
  };
  const markReset = (): void => {
    terminal.setSwarmMeta(USED, undefined);
    terminal.setSwarmMeta(START, wanted);
    terminal.setSwarmMeta(STEPS, undefined);
  };
  terminal.addEventListener('keydown', markUsed, { capture: true, signal });
  terminal.addEventListener('paste', markUsed, { capture: true, signal });

  /** Marks where the lesson begins in the terminal, once per lesson the swarm goes through. */
  const divider = (kept = false): void => {
    if (terminal.getSwarmMeta(LESSON) === lesson.id) return;
    terminal.setSwarmMeta(LESSON, lesson.id);
    terminal.writeDivider(kept ? lesson.dividerKept : lesson.divider);
  };
  const reset = async (hooks?: LocalResetLike): Promise<void> => {
    set('pending');
    notice?.hide();
    markReset();
    let kept = false;
    await terminal.resetSwarm(start, hooks && { ...hooks, kept: () => (kept = true) });
    // The screen starts over with the banner: the lesson's divider goes under it.
    if (!kept) terminal.setSwarmMeta(LESSON, undefined);
    divider();
    set(kept ? 'kept' : 'applied');
  };

  const decide = async (): Promise<void> => {
    if (usedEarly) terminal.setSwarmMeta(USED, 'yes');
    usedEarly = false;
    const used = terminal.getSwarmMeta(USED) === 'yes';
    if (terminal.backend === 'local') {
      // The real swarm is the learner's once used: kept, as before lesson boundaries had a notice.
      if (used) return set('kept');
      // The real swarm: the server knows whether it is still in this start state, and plans
      // what reaching it would remove; the learner is asked before anything is.
      let kept = false;
      const hooks: LocalResetLike = { confirm: () => Promise.resolve(false), ...local, kept: () => (kept = true) };
      await terminal.resetSwarm(start, hooks).then(
        () => set(kept ? 'kept' : 'applied'),
        () => set('kept'), // refused or the server went away: the swarm is as it was
      );
      return;
    }
    if (!used) {
      // Untouched: a swarm already in this very state needs nothing, any other is replaced.
      if (terminal.getSwarmMeta(START) === wanted) {
        divider();
        return set('applied');
      }
      return reset();
    }
    // Already in this lesson (a reload, a language switch): the learner is mid-lesson, and
    // what the lesson starts from no longer holds by design (worker1 drained).
    if (terminal.getSwarmMeta(LESSON) === lesson.id) return set('kept');
    const pre = await terminal.precondition(lesson.id).catch(() => ({ ok: true as const }));
    if (signal.aborted) return;
    if (pre.ok || !notice) {
      divider(true);
      return set('kept');
    }
    const choice = await notice.ask(lesson.reasonText(pre.reason));
    if (signal.aborted) return;
    if (choice === 'start') return reset();
    notice.showKept();
    divider(true);
    set('kept');
  };

  // The worker dying meanwhile: it restarts from its saved state and says so.
  void terminalReady(terminal, signal).then(decide).catch(() => undefined);
  const whenSettled = (): Promise<StartStatus> => (status !== 'pending' ? Promise.resolve(status) : new Promise((resolve) => waiters.push(resolve)));
  return {
    markUsed,
    reset,
    whenSettled,
    settled: () => {
      // Asked and not answered yet: a Run means "go on with the lesson", its default.
      if (status === 'pending') notice?.answer('start');
      return whenSettled();
    },
  };
}
