// What the dock's time controls say, as pure functions of what the worker reported (timeInfo)
// and the page's state: the clock's text between two reports, each button's state and title,
// and the live region's sentences. time-controls.ts puts them on the page.
import type { StepChange, TimeInfo } from '../../../engine/worker/terminal-engine.js';
import { formatSwarmTime } from '../../../engine/swarm-time.js';

/** `time.*` strings of the page's language; a missing key reads as the key. */
export type TimeStrings = Record<string, string>;

export function say(t: TimeStrings, key: string, vars: Record<string, string | number> = {}): string {
  return (t[key] ?? key).replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A report from the worker, with the page's clock when it came. */
export interface ClockBase {
  info: TimeInfo;
  /** performance.now() when the report arrived. */
  at: number;
  /** The clock runs (the tab shown, the worker up): a paused swarm stands still anyway. */
  running: boolean;
}

/**
 * The swarm's time at `now` (performance.now()), as far as the page can tell between reports:
 * the reported time plus the wall time since, times the speed, unless the swarm is paused.
 */
export function swarmMsAt(base: ClockBase, now: number): number {
  const moving = base.running && !base.info.paused;
  return base.info.swarmMs + (moving ? Math.max(0, now - base.at) * base.info.speed : 0);
}

export function clockText(base: ClockBase, now: number): string {
  return formatSwarmTime(swarmMsAt(base, now));
}

/** Which swarm is live, and whether the terminal is ready for a command ('loading', 'ready', 'busy'). */
export interface PageState {
  backend: string;
  state: string;
}

export interface ButtonState {
  disabled: boolean;
  /** The title (and accessible description): what it does, or why it cannot now. */
  title: string;
  pressed?: boolean;
}

export type TimeButton = 'pause' | 'step' | 'undo' | 'redo';

/** One button's state: local mode and a starting simulator disable all; a running command only undo and redo. */
export function buttonState(button: TimeButton, page: PageState, info: TimeInfo | undefined, t: TimeStrings): ButtonState {
  if (page.backend !== 'simulated') return { disabled: true, title: say(t, 'time.local'), ...(button === 'pause' ? { pressed: false } : {}) };
  if (page.state === 'loading' || !info) return { disabled: true, title: say(t, 'time.loading'), ...(button === 'pause' ? { pressed: info?.paused ?? false } : {}) };
  switch (button) {
    case 'pause':
      return { disabled: false, title: say(t, info.paused ? 'time.play' : 'time.pause'), pressed: info.paused };
    case 'step':
      return { disabled: false, title: say(t, 'time.step') };
    case 'undo':
    case 'redo': {
      const busy = page.state === 'busy';
      const line = button === 'undo' ? info.undoLine : info.redoLine;
      if (busy) return { disabled: true, title: say(t, button === 'undo' ? 'time.busyUndo' : 'time.busyRedo') };
      if (line === undefined) return { disabled: true, title: say(t, button === 'undo' ? 'time.nothingToUndo' : 'time.nothingToRedo') };
      return { disabled: false, title: say(t, button === 'undo' ? 'time.undo' : 'time.redo', { line }) };
    }
  }
}

/**
 * The changes of a step in a few words: `redis.2 running, worker1 down, redis.1: desired
 * shutdown` (a task whose state stayed and whose desired state moved says the latter), three
 * at most, then how many more.
 */
export function changesText(changes: readonly StepChange[], t: TimeStrings, max = 3): string {
  const words = changes.map((c) =>
    c.from === c.to && c.desired !== undefined ? say(t, 'time.announce.desired', { name: c.name, desired: c.desired }) : `${c.name} ${c.to.replace(/, active$/, '')}`,
  );
  const shown = words.slice(0, max);
  if (words.length > max) shown.push(say(t, 'time.announce.more', { count: words.length - max }));
  return shown.join(', ');
}

/** What a step is announced as. */
export function stepAnnouncement(outcome: TimeInfo & { moved: boolean; changes: readonly StepChange[] }, t: TimeStrings): string {
  const time = formatSwarmTime(outcome.swarmMs, true);
  if (!outcome.moved) return say(t, 'time.announce.nothing', { time });
  if (outcome.changes.length === 0) return say(t, 'time.announce.steppedQuiet', { time });
  return say(t, 'time.announce.stepped', { time, changes: changesText(outcome.changes, t) });
}
