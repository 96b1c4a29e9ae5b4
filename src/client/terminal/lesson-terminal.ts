// <lesson-terminal>: the element a lesson page carries. It owns only its header controls
// and a host box; the terminal itself is the page's singleton (terminal-session.ts), moved
// into whichever element is connected, so view transitions never start a second worker.
import '@xterm/xterm/css/xterm.css';
import type { EngineOptions, Speed, StepResult } from '../../../engine/worker/terminal-engine.js';
import type { CheckResult } from '../../../content/lessons/types.js';
import { localFailureStrings } from './local-common.js';
import type { LocalReset, TerminalSession, TerminalStrings } from './terminal-session.js';
import { ENGLISH_STRINGS, terminalSession } from './terminal-session.js';
import { initViewSlot } from './view-slot.js';

export class LessonTerminal extends HTMLElement {
  private session: TerminalSession | undefined;
  private cleanup: (() => void)[] = [];

  connectedCallback(): void {
    // With view transitions the incoming page's element connects before the persisted
    // one is swapped in; only an element still connected a microtask later hosts.
    queueMicrotask(() => {
      if (!this.isConnected || this.session) return;
      this.host();
    });
  }

  disconnectedCallback(): void {
    for (const c of this.cleanup) c();
    this.cleanup = [];
    this.session = undefined;
  }

  /** The terminal's screen and scrollback as text (e2e tests read it). */
  screenText(): string {
    return this.session?.screenText() ?? '';
  }

  /**
   * The screen and scrollback as logical lines: rows the terminal wrapped are joined, their
   * padding kept (e2e tests read tables wider than the terminal with it).
   */
  screenLogicalLines(): string[] {
    const b = this.session?.term.buffer.active;
    if (!b) return [];
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const row = b.getLine(i);
      if (!row) break;
      // A row that continues on the next keeps its trailing spaces: they are a table's padding.
      const text = row.translateToString(!b.getLine(i + 1)?.isWrapped);
      if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** How many columns the terminal has now (the dock's split reports it; e2e tests read it). */
  get columns(): number {
    return this.session?.term.cols ?? 0;
  }

  /** Types text into the terminal as the learner would (Run buttons). */
  typeText(text: string): void {
    this.session?.typeText(text);
  }

  /** A fresh swarm in a lesson's start state (also the lesson's Reset button); `local`: how to ask on the real swarm. */
  async resetSwarm(start: EngineOptions, local?: LocalReset): Promise<void> {
    await this.session?.resetSwarm(start, local);
  }

  /** Every step's check of the lesson on the current swarm; [] when no terminal is hosted. */
  async check(lessonId: string): Promise<StepResult[]> {
    return this.session ? this.session.check(lessonId) : [];
  }

  /** Whether the swarm meets what the lesson starts from (always yes on the real swarm). */
  async precondition(lessonId: string): Promise<CheckResult> {
    return this.session ? this.session.precondition(lessonId) : { ok: true };
  }

  /** A dim line in the terminal marking where a lesson begins. */
  writeDivider(title: string): void {
    this.session?.writeDivider(title);
  }

  /** The lesson's `$NAME` values on the current swarm. */
  async vars(lessonId: string): Promise<Record<string, string>> {
    return this.session ? this.session.vars(lessonId) : {};
  }

  /**
   * A note the lesson page keeps about the swarm (its lesson start state, whether the learner
   * used it): it goes wherever the swarm goes, across page loads and worker restarts.
   */
  getSwarmMeta(key: string): string | undefined {
    return this.session?.getMeta(key);
  }

  setSwarmMeta(key: string, value: string | undefined): void {
    this.session?.setMeta(key, value);
  }

  /** Which swarm is live: 'simulated', 'local' or 'lost' (the local server went away). */
  get backend(): string {
    return this.session?.backend ?? 'simulated';
  }

  /** Test hook: the worker dies as if it crashed; the terminal must say so and restart. */
  simulateCrash(): void {
    this.session?.simulateCrash();
  }

  /** Test hook: the worker is terminated with no event; the terminal must notice, say so and restart. */
  simulateKill(): void {
    this.session?.simulateKill();
  }

  private host(): void {
    const screen = this.querySelector<HTMLElement>('.lt-screen');
    const live = this.querySelector<HTMLElement>('.lt-live');
    if (!screen || !live) return;
    const session = terminalSession();
    this.session = session;
    session.strings = this.strings();
    session.attach(screen, live);

    const speedButtons = Array.from(this.querySelectorAll<HTMLButtonElement>('[data-speed]'));
    const speedGroup = this.querySelector<HTMLElement>('.lt-speed');
    const srButton = this.querySelector<HTMLButtonElement>('[data-screen-reader]');
    const badge = this.querySelector<HTMLElement>('[data-backend-label]');
    const switchButton = this.querySelector<HTMLButtonElement>('[data-backend-switch]');
    const help = this.querySelector<HTMLDialogElement>('.lt-local-help');
    const sync = (s: TerminalSession): void => {
      this.dataset.state = s.state;
      this.dataset.backend = s.backend;
      if (badge) {
        const b = badge.dataset;
        const label =
          s.backend === 'simulated' ? b.simulatedText : s.backend === 'lost' ? b.lostText : b.localText?.replace('{name}', s.localName ?? '');
        if (label !== undefined && badge.textContent !== label) badge.textContent = label;
      }
      if (switchButton) {
        const b = switchButton.dataset;
        const label = s.backend === 'simulated' ? b.toLocalText : b.toSimulatedText;
        if (label !== undefined && switchButton.textContent !== label) switchButton.textContent = label;
        // Only the explanation is a dialog; with a token the switch acts at once.
        if (s.backend === 'simulated' && !s.localAvailable) switchButton.setAttribute('aria-haspopup', 'dialog');
        else switchButton.removeAttribute('aria-haspopup');
        // aria-disabled, not disabled: the button keeps focus while a command runs.
        switchButton.setAttribute('aria-disabled', String(!s.canSwitch && (s.localAvailable || s.backend !== 'simulated')));
      }
      // Speed is the simulator's clock; a real swarm runs at its own pace.
      if (speedGroup) speedGroup.hidden = s.backend !== 'simulated';
      this.setAttribute('aria-busy', String(s.state !== 'ready'));
      for (const b of speedButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.speed) === s.speed));
      srButton?.setAttribute('aria-pressed', String(s.screenReader));
    };
    this.cleanup.push(session.onChange(sync));
    // The lesson page listens for this to check the steps after each command.
    this.cleanup.push(session.onCommand((line) => this.dispatchEvent(new CustomEvent('lesson-command', { detail: { line } }))));
    sync(session);

    for (const b of speedButtons) {
      const onClick = (): void => void session.setSpeed(Number(b.dataset.speed) as Speed);
      b.addEventListener('click', onClick);
      this.cleanup.push(() => b.removeEventListener('click', onClick));
    }
    if (switchButton) {
      const onClick = (): void => {
        if (session.backend !== 'simulated') {
          if (!session.canSwitch) return;
          return void session.useSimulated().then(() => session.term.focus());
        }
        if (!session.localAvailable) return help?.showModal();
        if (!session.canSwitch) return;
        void session.useLocal().then(() => session.term.focus());
      };
      switchButton.addEventListener('click', onClick);
      this.cleanup.push(() => switchButton.removeEventListener('click', onClick));
    }
    if (srButton) {
      const onClick = (): void => session.setScreenReader(!session.screenReader);
      srButton.addEventListener('click', onClick);
      this.cleanup.push(() => srButton.removeEventListener('click', onClick));
    }
    const resize = new ResizeObserver(() => session.refit());
    resize.observe(screen);
    this.cleanup.push(() => resize.disconnect());
    // The swarm view's box as the learner left it (view-split.ts handles it once loaded).
    initViewSlot(this);
    this.hostSwarmView(session);
    this.hostTimeControls(session);
  }

  /**
   * Loads `chunk` once the prompt is ready and the page idle (so it never delays the prompt),
   * then `mount`s it; what mount returns is called when this element leaves the page.
   */
  private whenIdle<M>(session: TerminalSession, chunk: () => Promise<M>, mount: (m: M) => () => void): void {
    let detach: (() => void) | undefined;
    let gone = false;
    const load = (): void => {
      if (session.state === 'loading') return;
      stop();
      // After the prompt's first frames: the page is idle then (or soon, at the latest).
      if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 500 });
      else setTimeout(start, 50);
    };
    const start = (): void => {
      if (gone) return;
      void chunk()
        .then((m) => {
          if (!gone) detach = mount(m);
        })
        .catch(() => undefined); // the chunk could not load: the terminal works without it
    };
    const stop = session.onChange(load);
    this.cleanup.push(() => {
      gone = true;
      stop();
      detach?.();
    });
    load();
  }

  /** Pause/Play, Step, Undo, Redo and the swarm's clock (time-controls.ts): a chunk of their own. */
  private hostTimeControls(session: TerminalSession): void {
    this.whenIdle(session, () => import('./time-controls.js'), (m) => m.mountTimeControls(this, session, this));
  }

  /**
   * The swarm view (src/client/swarm-view/) is a chunk of its own, loaded once the prompt is
   * ready and the page idle, so it never delays it, and mounted into the slot above the screen.
   */
  private hostSwarmView(session: TerminalSession): void {
    const slot = this.querySelector<HTMLElement>('[data-swarm-view-slot]');
    if (!slot) return;
    this.whenIdle(session, () => import('../swarm-view/mount.js'), (m) => m.mountSwarmView(slot, session, this));
  }

  private strings(): TerminalStrings {
    const d = this.dataset;
    return {
      banner: d.bannerText ?? ENGLISH_STRINGS.banner,
      restarted: d.restartedText ?? ENGLISH_STRINGS.restarted,
      restored: d.restoredText ?? ENGLISH_STRINGS.restored,
      hungRestarted: d.hungRestartedText ?? ENGLISH_STRINGS.hungRestarted,
      hungRestored: d.hungRestoredText ?? ENGLISH_STRINGS.hungRestored,
      notRestored: d.notRestoredText ?? ENGLISH_STRINGS.notRestored,
      localBanner: d.localBannerText ?? ENGLISH_STRINGS.localBanner,
      localFailed: d.localFailedText ?? ENGLISH_STRINGS.localFailed,
      localStopped: d.localStoppedText ?? ENGLISH_STRINGS.localStopped,
      localFailure: localFailureStrings(d.localFailureText),
      localConflict: d.localConflictText ?? ENGLISH_STRINGS.localConflict,
    };
  }
}

if (!customElements.get('lesson-terminal')) customElements.define('lesson-terminal', LessonTerminal);
