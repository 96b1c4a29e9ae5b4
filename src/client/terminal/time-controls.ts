// The dock's time controls: Pause/Play, Step, Undo, Redo and the swarm's clock, beside the
// speed. A chunk of its own (<lesson-terminal> imports it once the prompt is ready); the markup
// is in Terminal.astro. Pause, Play and Step act on the worker's session directly
// (TerminalEngine.learnerPause/learnerPlay/stepSwarm), so they work while a command waits on
// the swarm; Undo and Redo type the `undo`/`redo` builtin as a lesson's Run button would, so
// the terminal says what was taken back and the lesson checks its steps after it, as after
// any command. The clock is drawn from the worker's last report (timeInfo) and the speed, a
// few times a second; the worker is asked again every few seconds and after every change.
import type { TimeInfo } from '../../../engine/worker/terminal-engine.js';
import { formatSwarmTime } from '../../../engine/swarm-time.js';
import type { TerminalSession } from './terminal-session.js';
import type { ClockBase, TimeButton, TimeStrings } from './time-text.js';
import { buttonState, clockText, say, stepAnnouncement } from './time-text.js';

const DRAW_MS = 250;
const ASK_MS = 2_000;

export interface TimeHost {
  /** Types text into the terminal as the learner would (Run buttons). */
  typeText(text: string): void;
}

function readStrings(root: HTMLElement): TimeStrings {
  try {
    const json = root.querySelector('[data-time-strings]')?.textContent ?? '{}';
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as TimeStrings) : {};
  } catch {
    return {};
  }
}

/** Wires the controls inside `root` (the <lesson-terminal>) to `session`; returns the detach. */
export function mountTimeControls(root: HTMLElement, session: TerminalSession, host: TimeHost): () => void {
  const group = root.querySelector<HTMLElement>('[data-time-controls]');
  if (!group) return () => {};
  const t = readStrings(root);
  const clock = group.querySelector<HTMLElement>('[data-swarm-clock]');
  const live = group.querySelector<HTMLElement>('[data-time-live]');
  const buttons = new Map<TimeButton, HTMLButtonElement>();
  for (const b of group.querySelectorAll<HTMLButtonElement>('button[data-time]')) buttons.set(b.dataset.time as TimeButton, b);

  let base: ClockBase | undefined;
  /** Bumped by each report asked for: an older answer arriving late is dropped. */
  let asked = 0;
  /** An undo or redo typed from here: announced once its command has run. */
  let typed: { cmd: 'undo' | 'redo'; line: string } | undefined;
  let gone = false;

  const simulated = (): boolean => session.backend === 'simulated';

  const draw = (): void => {
    const page = { backend: session.backend, state: session.state };
    for (const [name, b] of buttons) {
      const s = buttonState(name, page, base?.info, t);
      b.setAttribute('aria-disabled', String(s.disabled));
      if (b.title !== s.title) b.title = s.title;
      // Pause/Play keeps one name with aria-pressed; the others' names say what they would do.
      if (name === 'pause') b.setAttribute('aria-pressed', String(s.pressed === true));
      else if (b.getAttribute('aria-label') !== s.title) b.setAttribute('aria-label', s.title);
    }
    drawClock();
  };

  const drawClock = (): void => {
    if (!clock) return;
    const text = simulated() && base ? clockText(base, performance.now()) : '';
    if (clock.textContent !== text) clock.textContent = text;
    const label = text === '' ? '' : say(t, base?.info.paused ? 'time.clockPaused' : 'time.clock', { time: text });
    if (clock.title !== label) {
      clock.title = label;
      clock.setAttribute('aria-label', label);
    }
  };

  const took = (info: TimeInfo): void => {
    base = { info, at: performance.now(), running: !document.hidden && session.state !== 'loading' };
    draw();
  };

  const ask = async (): Promise<void> => {
    const link = session.engineLink;
    if (!simulated() || !link || session.state === 'loading') return draw();
    const mine = ++asked;
    try {
      const info = await link.call((e) => e.timeInfo());
      if (mine === asked && !gone) took(info);
    } catch {
      /* the worker died: its restart changes the state, and we ask again then */
    }
  };

  const announce = (text: string): void => {
    if (!live) return;
    // Emptied first: the same sentence twice is announced twice.
    live.textContent = '';
    requestAnimationFrame(() => (live.textContent = text));
  };

  const enabled = (name: TimeButton): boolean => buttons.get(name)?.getAttribute('aria-disabled') === 'false';

  const act = async (name: TimeButton): Promise<void> => {
    const link = session.engineLink;
    if (!enabled(name) || !link || !base) return;
    if (name === 'undo' || name === 'redo') {
      const line = name === 'undo' ? base.info.undoLine : base.info.redoLine;
      if (line === undefined || session.state !== 'ready') return;
      typed = { cmd: name, line };
      host.typeText(`${name}\n`);
      return;
    }
    try {
      if (name === 'step') {
        const outcome = await link.call((e) => e.stepSwarm());
        took(outcome);
        announce(stepAnnouncement(outcome, t));
      } else {
        const info = await link.call((e) => (base?.info.paused ? e.learnerPlay() : e.learnerPause()));
        took(info);
        announce(say(t, info.paused ? 'time.announce.paused' : 'time.announce.playing', { time: formatSwarmTime(info.swarmMs, true) }));
      }
    } catch {
      return; // the worker died: it restarts from the last snapshot
    }
    // A reload, a language switch or a restarted worker finds the swarm paused (or not) as left.
    void session.saveSwarm();
  };

  const cleanup: (() => void)[] = [];
  for (const [name, b] of buttons) {
    const onClick = (): void => void act(name);
    b.addEventListener('click', onClick);
    cleanup.push(() => b.removeEventListener('click', onClick));
  }

  // Alt+P pauses or plays, Alt+S steps, from anywhere on the page but a text field of the
  // lesson's (the terminal's own textarea included: the line editor binds no Alt+P or Alt+S).
  // `code`, not `key`: macOS types π and ß with Option.
  const onKey = (e: KeyboardEvent): void => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return;
    const name: TimeButton | undefined = e.code === 'KeyP' ? 'pause' : e.code === 'KeyS' ? 'step' : undefined;
    if (!name) return;
    const target = e.target as HTMLElement | null;
    const field = target?.closest?.('input, textarea, select, [contenteditable]');
    if (field && !root.contains(field)) return;
    e.preventDefault();
    e.stopPropagation();
    void act(name);
  };
  document.addEventListener('keydown', onKey, true);
  cleanup.push(() => document.removeEventListener('keydown', onKey, true));

  cleanup.push(
    session.onChange(() => {
      draw();
      void ask();
    }),
  );
  cleanup.push(
    session.onCommand((line) => {
      const done = typed;
      typed = undefined;
      void ask().then(() => {
        if (done && line.trim() === done.cmd) announce(say(t, done.cmd === 'undo' ? 'time.announce.undid' : 'time.announce.redid', { line: done.line }));
      });
    }),
  );
  const onVisible = (): void => void ask();
  document.addEventListener('visibilitychange', onVisible);
  cleanup.push(() => document.removeEventListener('visibilitychange', onVisible));
  const drawer = setInterval(() => !document.hidden && drawClock(), DRAW_MS);
  const asker = setInterval(() => !document.hidden && void ask(), ASK_MS);
  cleanup.push(() => clearInterval(drawer), () => clearInterval(asker));

  draw();
  void ask();
  return () => {
    gone = true;
    for (const c of cleanup) c();
  };
}
