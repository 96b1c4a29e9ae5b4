// The one terminal of the page: xterm.js on screen, the engine in a module Web Worker
// behind comlink, and the line editor between them. It is a module-level singleton so
// that client-side navigation re-hosts the same terminal and worker instead of making
// new ones (stack-notes §2); `<lesson-terminal>` elements only attach it.
import { FitAddon } from '@xterm/addon-fit';
import type { Terminal } from '@xterm/xterm';
import * as Comlink from 'comlink';
import type { Completion, TerminalEngine } from '../../../engine/worker.js';
import type { EngineOptions, ReadyInfo, Speed, StepResult } from '../../../engine/worker/terminal-engine.js';
import type { CheckResult } from '../../../content/lessons/types.js';
import { LineEditor, renderLine, splitKeys } from './line-editor.js';
import type { LocalFailureStrings } from './local-common.js';
import { ENGLISH_FAILURE_STRINGS, failureText, localToken, RemoteClosed, RemoteUnavailable } from './local-common.js';
import type { LineEngine, RemoteEngine, SkippedLine } from './remote-engine.js';
import type { BootReply } from '../../../engine/worker/boot.js';
import type { InjectionKind } from '../../../engine/sim/faults.js';
import { parseSpeed, resumePoint, SPEED_KEY } from '../../../engine/worker/saved-swarm.js';
import { engineWorker } from './worker-boot.js';
import { displayWidth } from '../../../engine/text-width.js';
import type { WorkerDeath } from './engine-link.js';
import { EngineLink, WorkerDied } from './engine-link.js';
import type { SavedSwarm } from './saved-swarm.js';
import { forgetSavedSwarm, readSavedSwarm, screenLines, SwarmKeeper } from './saved-swarm.js';
import { createTerminal, reportWidth } from './xterm-setup.js';

export type TerminalState = 'loading' | 'ready' | 'busy';

/**
 * Which swarm the terminal drives: the simulated one in the worker, a real one through the
 * local server (`swarm-lab local`), or none because the local server went away (the
 * terminal then offers the simulated swarm back).
 */
export type LiveBackend = 'simulated' | 'local' | 'lost';

export interface TerminalStrings {
  /** First line on a fresh swarm; {nodes} is replaced by the machine names. */
  banner: string;
  /** Said when the worker died and a fresh swarm replaced it (the saved one could not be restored). */
  restarted: string;
  /** Said when the worker died and was restarted from the last saved state of the swarm. */
  restored: string;
  /** As `restarted` and `restored`, when the worker stopped answering (killed without a word, or hung). */
  hungRestarted: string;
  hungRestored: string;
  /** Said when the swarm this tab saved (a reload, a language switch) could not be restored: a fresh one replaced it. */
  notRestored: string;
  /** First line on the real swarm; {nodes} is replaced by its machine names. */
  localBanner: string;
  /** Said when connecting to the local server failed; {reason} is why. */
  localFailed: string;
  /** Said when the local server's connection closed. */
  localStopped: string;
  /** Local-mode failures (Docker down, not a manager, an image missing on a node…) around Docker's own text. */
  localFailure: LocalFailureStrings;
  /** The {reason} of localFailed when another tab holds the local server's one terminal. */
  localConflict: string;
}

export const ENGLISH_STRINGS: TerminalStrings = {
  banner: 'Simulated Docker swarm ({nodes}). Type "help" to start.',
  restarted: 'The simulator stopped unexpectedly. A fresh simulated swarm has been started.',
  restored: 'The simulator stopped unexpectedly and was restarted from the last saved state of your swarm.',
  hungRestarted: 'The simulator stopped responding. A fresh simulated swarm has been started.',
  hungRestored: 'The simulator stopped responding and was restarted from the last saved state of your swarm.',
  notRestored: 'Your swarm from before could not be restored (its saved copy is damaged or from another version of Swarm Lab). A fresh simulated swarm has been started.',
  localBanner: 'Local Docker swarm ({nodes}) through swarm-lab local: commands run on your real Docker.',
  localFailed: 'Could not connect to the local server ({reason}). The simulated swarm stays.',
  localStopped: 'The local server stopped (the connection closed). Press Enter to go back to the simulated swarm.',
  localFailure: ENGLISH_FAILURE_STRINGS,
  localConflict: 'another tab holds the local terminal: close that tab or switch it to the simulator, then try again',
};

/** Clears the screen and the scrollback (a new swarm's screen starts empty). */
const CLEAR_ALL = '\x1b[H\x1b[2J\x1b[3J';

/** A banner with its {nodes} filled in. */
const banner = (template: string, hostnames: string[]): string => template.replace('{nodes}', hostnames.join(', '));

/** `── title ─────…` as wide as the terminal (at most 100 columns), never wrapping. */
export function dividerLine(title: string, columns: number): string {
  const width = Math.min(100, Math.max(10, columns - 1));
  const head = `── ${title} `;
  return head + '─'.repeat(Math.max(2, width - displayWidth(head)));
}

const HISTORY_KEY = 'swarm-lab:history';
const SCREEN_READER_KEY = 'swarm-lab:screen-reader';
/** Set while the real swarm is live: the next page of this tab (a language switch, a reload) reconnects. */
const LOCAL_LIVE_KEY = 'swarm-lab:local-live';

const tabFlag = {
  get: (key: string): boolean => {
    try {
      return sessionStorage.getItem(key) === 'yes';
    } catch {
      return false;
    }
  },
  set: (key: string, on: boolean): void => {
    try {
      if (on) sessionStorage.setItem(key, 'yes');
      else sessionStorage.removeItem(key);
    } catch {
      /* storage disabled: a new page starts simulated */
    }
  },
};

/**
 * Connects to the local server, trying again briefly when the socket is refused: after a
 * reload the server may not have seen the previous page's socket close yet (it serves one
 * terminal at a time). A refused token is final.
 */
async function connectRetrying(token: string, attempts = 4): Promise<RemoteEngine> {
  // The WebSocket client loads on the first switch: most learners never use local mode.
  const { RemoteEngine } = await import('./remote-engine.js');
  for (let i = 1; ; i++) {
    try {
      return await RemoteEngine.connect(token);
    } catch (e) {
      // A refused token, or a server whose Docker cannot run the lessons (it said why), is final.
      if (i >= attempts || (e instanceof RemoteClosed && e.code === 4401) || e instanceof RemoteUnavailable) throw e;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}

/** Why connecting failed, in a few words for the terminal's message. */
function connectFailure(e: unknown, strings: TerminalStrings): string {
  if (e instanceof RemoteClosed) {
    if (e.code === 4401) return 'the token was refused: open the address swarm-lab local printed';
    // The server holds one terminal; it says so with 4409 after authenticating this tab.
    if (e.code === 4409) return strings.localConflict;
    return e.reason === 'timeout' ? 'no answer' : 'no connection';
  }
  return e instanceof Error ? e.message : String(e);
}
/** Commands kept in the aria-live transcript (older ones drop out of the DOM). */
const TRANSCRIPT_ENTRIES = 30;

const stored = (key: string): string | null => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the terminal still works, it just forgets
  }
};
const store = (key: string, value: string): void => {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* see stored() */
  }
};

function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(stored(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** How a lesson page resets the real swarm (resetSwarm while local mode is live). */
export interface LocalReset {
  /** Asked with the names of the Swarm Lab services the reset would remove; true goes ahead. */
  confirm(names: string[]): Promise<boolean>;
  /** Called when the learner kept their swarm (confirm said no). */
  kept?(): void;
  /** Reset even when the real swarm is still in this start state (the Reset button). */
  force?: boolean;
  /** Terminal notices, localized: a setup line refused on the real swarm / one that failed ({line}). */
  skippedText?: string;
  failedText?: string;
}

type Listener = (s: TerminalSession) => void;
type CommandListener = (line: string) => void;

export class TerminalSession {
  readonly term: Terminal;
  readonly fit = new FitAddon();
  readonly editor = new LineEditor(loadHistory());
  state: TerminalState = 'loading';
  speed: Speed = parseSpeed(stored(SPEED_KEY));
  strings: TerminalStrings = ENGLISH_STRINGS;
  backend: LiveBackend = 'simulated';
  /** The local server's name for the real swarm ("manager1"), once connected. */
  localName: string | undefined;

  /** The engine worker while it lives (a new one replaces it when it dies). */
  private link: EngineLink | undefined;
  /** How the last worker went, for the notice of the restart. */
  private death: WorkerDeath = 'crashed';
  private mainPrompt = '$ ';
  private cursorRow = 0;
  /** Keys typed while a command runs, replayed when it ends (a terminal's type-ahead). */
  private typeahead: string[] = [];
  private processing = false;
  private host: HTMLElement | undefined;
  private live: HTMLElement | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly commandListeners = new Set<CommandListener>();
  /** Bumped by resetSwarm: a command still finishing from before a reset must not redraw. */
  private generation = 0;
  private restarts = 0;
  /** The last snapshot of the swarm (what a restarted worker resumes), its clock and the page's notes. */
  private readonly keeper = new SwarmKeeper(() => this.speed, !document.hidden);
  /** A swarm saved by the previous page of this tab, restored when the worker is up. */
  private saved: SavedSwarm | 'damaged' | undefined = readSavedSwarm();
  /** The real swarm's terminal on the local server, while it is live. */
  private remote: RemoteEngine | undefined;
  /** The simulated swarm's screen and prompt while the real one is live (they come back with it). */
  private simScreen: string[] | undefined;
  private simPrompt = '$ ';
  private switching = false;
  /** The simulated engine (the worker) behind the calls both engines answer. */
  private readonly sim: LineEngine = {
    run: (line, cols, out) => this.call((e) => e.run(line, cols, Comlink.proxy(out))),
    prompt: () => this.call((e) => e.prompt()),
    interrupt: () => this.call((e) => e.interrupt()),
    resize: (columns) => this.call((e) => e.resize(columns)),
    complete: (line, cursor) => this.call((e) => e.complete(line, cursor)),
    check: (id) => this.call((e) => e.check(id)),
    vars: (id) => this.call((e) => e.vars(id)),
  };

  constructor() {
    this.term = createTerminal(stored(SCREEN_READER_KEY) === 'on');
    this.term.loadAddon(this.fit);
    reportWidth(this.term, () => (this.state === 'busy' ? this.lines() : undefined));
    this.term.onData((data) => this.input(splitKeys(data)));
    this.term.onSelectionChange(() => {
      if (this.term.hasSelection()) void this.copy(this.term.getSelection());
    });
    this.term.attachCustomKeyEventHandler((e) => this.keyFilter(e));
    // No simulated work while the page is hidden: the swarm's clock stops.
    document.addEventListener('visibilitychange', () => {
      this.keeper.rebase(!document.hidden);
      this.link?.visible(!document.hidden);
      void this.link?.call((e) => e[document.hidden ? 'pause' : 'resume']()).catch(() => undefined);
    });
    // A full page load (language switch, reload) follows: leave the swarm for the next page.
    window.addEventListener('pagehide', () => this.persist());
    if (this.saved && this.saved !== 'damaged') {
      // The scrollback comes back at once; the swarm follows when the worker has replayed it.
      this.keeper.meta = { ...this.saved.meta };
      if (this.saved.screen.length > 0) this.term.write(`${this.saved.screen.join('\n')}\n`);
    }
    void this.startWorker();
  }

  /** Puts the terminal into `host` (the first time: opens it there). */
  attach(host: HTMLElement, live: HTMLElement): void {
    this.host = host;
    this.live = live;
    if (this.term.element) host.replaceChildren(this.term.element);
    else this.term.open(host);
    this.refit();
    this.emit();
  }

  /** Fits the terminal to its box, unless the box is hidden (fit would compute 0 columns). */
  refit(): void {
    if (!this.host || this.host.offsetWidth === 0 || this.host.offsetHeight === 0) return;
    const before = this.term.cols;
    this.fit.fit();
    if (this.term.cols !== before && this.state !== 'busy') this.redraw();
  }

  /**
   * The worker's link while it lives (the swarm view watches the swarm through it); a restarted
   * worker brings a new one, and every change of it goes with a state change (onChange).
   */
  get engineLink(): EngineLink | undefined {
    return this.link;
  }

  /** The local server's connection while the real swarm is live (the swarm view's local source reads through it). */
  get remoteEngine(): RemoteEngine | undefined {
    return this.remote;
  }

  /** Called after each command the learner ran has finished (lesson checks run then). */
  onCommand(l: CommandListener): () => void {
    this.commandListeners.add(l);
    return () => this.commandListeners.delete(l);
  }

  /**
   * A fresh swarm in the given start state (a lesson's start, or Reset): what was typed ahead
   * is dropped, a running command is stopped, the screen starts over with the banner. While
   * the real swarm is live, `local` says how to ask before anything is removed there.
   */
  async resetSwarm(start: EngineOptions, local?: LocalReset): Promise<void> {
    if (this.backend === 'local') return this.resetLocal(start, local);
    if (this.backend !== 'simulated') return this.resetHiddenSwarm(start);
    this.generation++;
    const generation = this.generation;
    this.setState('loading');
    this.typeahead = [];
    this.editor.clearLine();
    const info = await this.resetWorker(start);
    if (!info || generation !== this.generation) return; // a later reset owns the screen
    this.mainPrompt = info.prompt;
    // Clear the screen and the scrollback: what was there belonged to the old swarm.
    this.term.write(`${CLEAR_ALL}${banner(this.strings.banner, info.hostnames)}\n`);
    this.cursorRow = 0;
    this.setState('ready');
    this.redraw();
    this.drain();
  }

  /**
   * A lesson's start state on the real swarm. The server plans first (which Swarm Lab
   * services would go; it never removes any other); if any would, `local.confirm` asks the
   * learner, and a "no" keeps the real swarm as it is. Nothing to remove: applied at once.
   * Already in this start state (and not forced): nothing happens. The hidden simulated
   * swarm follows the real one into the start state.
   */
  private async resetLocal(start: EngineOptions, local: LocalReset | undefined): Promise<void> {
    const remote = this.remote;
    if (!remote) return;
    const plan = await remote.plan(start);
    if (plan.applied && !local?.force) return;
    // Without a way to ask, nothing of the learner's is removed.
    if (plan.remove.length > 0 && !(await (local?.confirm(plan.remove) ?? false))) return local?.kept?.();
    if (remote !== this.remote) return; // switched or lost while asking
    if (this.state === 'busy') {
      // The server runs one thing at a time: stop the running command first, as a simulated reset does.
      this.typeahead = [];
      await remote.interrupt();
      await this.whenNotBusy();
    }
    this.generation++;
    const generation = this.generation;
    this.setState('loading');
    this.typeahead = [];
    this.editor.clearLine();
    void this.resetHiddenSwarm(start).catch(() => undefined);
    let result: { failed: string[]; skipped: SkippedLine[] };
    try {
      result = await remote.reset(start);
    } catch (e) {
      if (e instanceof RemoteClosed) return; // onRemoteLost says so
      throw e;
    } finally {
      if (generation === this.generation && this.state === 'loading') this.setState('ready');
    }
    if (generation !== this.generation || remote !== this.remote) return;
    this.mainPrompt = await remote.prompt();
    const lines = [banner(this.strings.localBanner, remote.hostnames)];
    for (const s of result.skipped) lines.push(`${(local?.skippedText ?? 'Not run on the real swarm: {line}').replace('{line}', s.line)}\n  ${s.reason}`);
    for (const f of result.failed) {
      if (!result.skipped.some((s) => s.line === f)) lines.push((local?.failedText ?? 'This setup command failed on the real swarm: {line}').replace('{line}', f));
    }
    this.term.write(`${CLEAR_ALL}${lines.join('\n')}\n`);
    if (lines.length > 1) this.announce(lines.slice(1).join('\n'));
    this.cursorRow = 0;
    this.setState('ready');
    this.redraw();
    this.drain();
  }

  /** Resolves once no command runs (a few seconds at most: an interrupt was sent). */
  private whenNotBusy(ms = 5000): Promise<void> {
    return new Promise((resolve) => {
      const end = Date.now() + ms;
      const poll = (): void => {
        if (this.state !== 'busy' || Date.now() > end) resolve();
        else setTimeout(poll, 50);
      };
      poll();
    });
  }

  /**
   * While the real swarm is live, a lesson's start state also applies to the simulated
   * swarm, out of sight: it is what the learner returns to.
   */
  private async resetHiddenSwarm(start: EngineOptions): Promise<void> {
    const info = await this.resetWorker(start);
    if (!info || this.backend === 'simulated') return; // switched back meanwhile: the screen is the old one, as after any command
    this.simPrompt = info.prompt;
    this.simScreen = [banner(this.strings.banner, info.hostnames)];
    this.persist();
  }

  /** The worker's swarm put in a start state, and its snapshot taken; undefined if the worker died (its restart redraws). */
  private async resetWorker(start: EngineOptions): Promise<ReadyInfo | undefined> {
    let info: ReadyInfo;
    try {
      // A lesson's setup lines run fast-forwarded: the worker may be busy for a while.
      info = await this.patientCall((e) => e.reset(start));
    } catch (e) {
      if (e instanceof WorkerDied) return undefined;
      throw e;
    }
    await this.refreshSnapshot();
    return info;
  }

  /** Every step's check of the lesson on the current swarm. */
  check(lessonId: string): Promise<StepResult[]> {
    const engine = this.lines();
    return engine ? engine.check(lessonId) : Promise.reject(new RemoteClosed(0, 'lost'));
  }

  /**
   * Whether the swarm meets what the lesson starts from. Only the simulated swarm is asked:
   * on the real one the local server plans the start state and the learner confirms.
   */
  precondition(lessonId: string): Promise<CheckResult> {
    if (this.backend !== 'simulated') return Promise.resolve<CheckResult>({ ok: true });
    return this.call((e) => e.precondition(lessonId) as Promise<CheckResult>);
  }

  /**
   * A dim line across the terminal where a new lesson begins, above the prompt (the input
   * line being edited is drawn again below it).
   */
  writeDivider(title: string): void {
    const ready = this.state === 'ready';
    // Erase the prompt and input rows, write the line, draw them again.
    if (ready) this.term.write(`\r${this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : ''}\x1b[J`);
    else this.leaveInputLine();
    // Bright black: the theme's grey, quieter than the output yet AA on both backgrounds (SGR 2 is not).
    this.term.write(`\x1b[90m${dividerLine(title, this.term.cols)}\x1b[0m\r\n`);
    this.announce(title);
    this.cursorRow = 0;
    if (ready) this.redraw();
    this.persist();
  }

  /** The lesson's `$NAME` values on the current swarm. */
  vars(lessonId: string): Promise<Record<string, string>> {
    const engine = this.lines();
    return engine ? engine.vars(lessonId) : Promise.resolve({});
  }

  /** The engine that answers for the live swarm; none while the local server is lost. */
  private lines(): LineEngine | undefined {
    if (this.backend === 'simulated') return this.sim;
    return this.backend === 'local' ? this.remote : undefined;
  }

  /** Whether this page came from the local server (it handed over a token): the switch can connect. */
  get localAvailable(): boolean {
    return localToken() !== undefined;
  }

  /**
   * Whether the live swarm can be switched now: to the real one only from a ready prompt (not
   * while a simulated command runs or the swarm loads); back to the simulated one at any time
   * (a real command still running is left to finish on the server, as Ctrl-C would).
   */
  get canSwitch(): boolean {
    return !this.switching && (this.backend !== 'simulated' || this.state === 'ready');
  }

  /**
   * Makes the real swarm live: connects to the local server this page came from. The
   * simulated swarm keeps running in its worker, and its screen comes back with it. On
   * failure the terminal says why and stays on the simulated swarm. Resolves to success.
   */
  async useLocal(resuming = false): Promise<boolean> {
    const token = localToken();
    if (token === undefined || this.backend !== 'simulated' || (!resuming && !this.canSwitch)) return false;
    this.switching = true;
    // xterm parses writes later: a screen just restored after a page load (and its prompt)
    // may not be in the buffer yet, and the simulated screen kept here is read from it.
    await new Promise<void>((r) => this.term.write('', r));
    this.simScreen = this.savedScreen();
    this.simPrompt = this.mainPrompt;
    this.persist();
    this.setState('loading');
    let remote: RemoteEngine;
    try {
      remote = await connectRetrying(token);
    } catch (e) {
      this.simScreen = undefined;
      this.switching = false;
      tabFlag.set(LOCAL_LIVE_KEY, false);
      this.leaveInputLine();
      this.notice(e instanceof RemoteUnavailable ? this.strings.localFailure.stays.replace('{failure}', failureText(e.failure, this.strings.localFailure)) : this.strings.localFailed.replace('{reason}', connectFailure(e, this.strings)));
      this.cursorRow = 0;
      this.setState('ready');
      this.redraw();
      this.drain();
      return false;
    }
    this.generation++;
    this.remote = remote;
    this.backend = 'local';
    this.localName = remote.backend.name;
    tabFlag.set(LOCAL_LIVE_KEY, true);
    remote.onClosed(() => this.onRemoteLost(remote));
    remote.describeFailure = (f) => failureText(f, this.strings.localFailure);
    this.editor.clearLine();
    this.typeahead = [];
    this.mainPrompt = await remote.prompt();
    this.term.write(`${CLEAR_ALL}${banner(this.strings.localBanner, remote.hostnames)}\n`);
    this.cursorRow = 0;
    this.switching = false;
    this.setState('ready');
    this.redraw();
    return true;
  }

  /** Makes the simulated swarm live again, as it was (its screen and prompt come back). */
  async useSimulated(): Promise<void> {
    if (this.backend === 'simulated' || this.switching) return;
    const remote = this.remote;
    this.remote = undefined;
    remote?.close();
    tabFlag.set(LOCAL_LIVE_KEY, false);
    this.generation++;
    this.backend = 'simulated';
    this.typeahead = [];
    this.editor.clearLine();
    this.mainPrompt = this.simPrompt;
    const screen = this.simScreen ?? [];
    this.simScreen = undefined;
    this.term.write(`${CLEAR_ALL}${screen.map((l) => `${l}\n`).join('')}`);
    this.cursorRow = 0;
    // A worker that died meanwhile is still starting: it draws the prompt when it is up.
    this.setState(this.link ? 'ready' : 'loading');
    this.redraw();
    this.drain();
  }

  /** The local server went away: say so, stop any command, offer the simulated swarm. */
  private onRemoteLost(remote: RemoteEngine): void {
    if (remote !== this.remote) return;
    this.remote = undefined;
    this.generation++;
    this.backend = 'lost';
    this.typeahead = [];
    this.editor.clearLine();
    this.leaveInputLine();
    this.notice(this.strings.localStopped);
    this.cursorRow = 0;
    this.setState('ready');
  }

  /** Moves past the input line being edited (or a command's last output) to column 0 of a new row. */
  private leaveInputLine(): void {
    if (this.term.buffer.active.cursorX !== 0) this.term.write('\r\n');
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** A note the page keeps with this swarm (it survives page loads and worker restarts with it). */
  getMeta(key: string): string | undefined {
    return this.keeper.meta[key];
  }

  setMeta(key: string, value: string | undefined): void {
    // The lesson page notes the same things after every check: only a change is worth saving
    // (persisting writes the whole swarm and screen to the tab's storage).
    if (this.keeper.meta[key] === value) return;
    if (value === undefined) delete this.keeper.meta[key];
    else this.keeper.meta[key] = value;
    this.persist();
  }

  async setSpeed(speed: Speed): Promise<void> {
    this.keeper.rebase();
    this.speed = speed;
    store(SPEED_KEY, String(speed));
    this.emit();
    await this.link?.call((e) => e.setSpeed(speed)).catch(() => undefined);
  }

  get screenReader(): boolean {
    return this.term.options.screenReaderMode === true;
  }

  setScreenReader(on: boolean): void {
    this.term.options.screenReaderMode = on;
    store(SCREEN_READER_KEY, on ? 'on' : 'off');
    this.emit();
  }

  /** Types text as if the learner had (Run buttons use it); Ctrl-C first if a command is waiting. */
  typeText(text: string, interruptFirst = true): void {
    if (interruptFirst && this.state === 'busy') this.input(['\x03']);
    this.input(splitKeys(text));
    this.term.focus();
  }

  /** The screen and scrollback as plain text (tests and tools read it). */
  screenText(): string {
    const b = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  // ------------------------------------------------------------------ worker

  private async startWorker(): Promise<void> {
    this.setState('loading');
    const { worker, booted } = engineWorker();
    const link = new EngineLink(worker, (how) => this.onWorkerDeath(link, how));
    this.link = link;
    try {
      // Sent without waiting: comlink keeps a port's messages in order, and every round trip
      // before the first prompt waits on a main thread that is still busy building the page.
      void this.call((e) => e.setSpeed(this.speed)).catch(() => undefined);
      if (document.hidden) void this.call((e) => e.pause()).catch(() => undefined);
      // Loading the engine and replaying a saved swarm hold the worker: its answers may be slow.
      const info = await link.patient(this.startSwarm(link, booted));
      if (this.backend !== 'simulated') {
        // The real swarm holds the screen: the simulated one is drawn when it comes back.
        this.simPrompt = info.prompt;
        this.setState('ready');
        return;
      }
      this.mainPrompt = info.prompt;
      this.cursorRow = 0;
      // The previous page of this tab was on the real swarm: back to it (the simulated one,
      // restored above, waits behind it as it did there). The terminal stays loading until
      // then, so the page's lesson start state is planned on the real swarm, not applied here.
      if (this.restarts === 0 && tabFlag.get(LOCAL_LIVE_KEY)) {
        void this.useLocal(true);
        return;
      }
      this.setState('ready');
      this.redraw();
      // The shell's own words (help, pause, undo, lab) in the page's language, before any
      // typed-ahead line runs (a language switch is a full page load: one worker per language).
      void this.call((e) => e.setLanguage(document.documentElement.lang)).catch(() => undefined);
      this.drain();
      // The prompt is up: the worker can take the docker CLI's code now (typed-ahead
      // commands above load it themselves).
      void this.call((e) => e.loadCli()).catch(() => undefined);
    } catch (e) {
      if (!(e instanceof WorkerDied)) throw e;
    }
  }

  /**
   * The swarm the new worker starts with: the one this tab saved (a page load) or the last
   * snapshot (a crash), replayed, with the clock moved on by the time it ran meanwhile; a
   * fresh one when there is none or it cannot be replayed. Says what happened.
   */
  private async startSwarm(link: EngineLink, booted: Promise<BootReply> | undefined): Promise<ReadyInfo> {
    const crashed = this.restarts > 0;
    // A stored swarm the page could not even read is lost as surely as one the worker cannot replay.
    const damaged = this.saved === 'damaged';
    const from = crashed
      ? this.keeper.takeResumePoint()
      : this.saved && this.saved !== 'damaged' ? resumePoint(this.saved, this.speed, Date.now()) : undefined;
    this.saved = undefined;
    let info: ReadyInfo | undefined;
    if (booted) {
      // The head script already asked the worker for the tab's stored swarm (the same one as
      // `from`): its answer is usually waiting.
      forgetSavedSwarm();
      const reply = await Promise.race([booted, link.died]);
      if (reply.restored) info = reply.info;
      else return this.freshSwarm(reply.info, crashed, from !== undefined || damaged);
    } else if (from) {
      forgetSavedSwarm();
      info = await this.call((e) => e.restore(from.engine, from.ranOnMs)).catch((e: unknown) => {
        if (e instanceof WorkerDied) throw e;
        return undefined; // not a snapshot this engine can replay: a fresh swarm instead
      });
    }
    if (!info) return this.freshSwarm(await this.call((e) => e.ready()), crashed, from !== undefined || damaged);
    if (crashed) this.notice(this.death === 'unresponsive' ? this.strings.hungRestored : this.strings.restored);
    // Not awaited: the prompt need not wait for it (comlink answers in order anyway).
    void this.refreshSnapshot();
    return info;
  }

  /**
   * The worker started a fresh swarm: the screen says so. After a page load whose saved swarm
   * could not be restored, what is on screen belonged to that swarm: it goes, and the learner
   * is told why their swarm is not there.
   */
  private freshSwarm(info: ReadyInfo, crashed: boolean, hadSaved: boolean): ReadyInfo {
    this.keeper.meta = {};
    if (crashed) this.notice(this.death === 'unresponsive' ? this.strings.hungRestarted : this.strings.restarted);
    else if (hadSaved) {
      this.term.write(CLEAR_ALL);
      this.notice(this.strings.notRestored, '');
    }
    if (!crashed) this.term.write(`${banner(this.strings.banner, info.hostnames)}\n`);
    void this.refreshSnapshot();
    return info;
  }

  /** The worker is gone (its link has ended it): a new one starts from the last snapshot. */
  private onWorkerDeath(link: EngineLink, how: WorkerDeath): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.death = how;
    this.restarts++;
    this.typeahead = [];
    this.editor.clearLine();
    this.setState('loading');
    void this.startWorker();
  }

  /** A yellow line for the learner (and the screen reader's transcript); `lead` ends the line before. */
  private notice(text: string, lead = '\r\n'): void {
    this.term.write(`${lead}\x1b[33m${text}\x1b[0m\r\n`);
    this.announce(text);
  }

  // ------------------------------------------------------------------ saved state

  /** Takes the worker's snapshot of the swarm (after a command or reset) and saves it for the tab. */
  private async refreshSnapshot(): Promise<void> {
    try {
      this.keeper.took(await this.call((e) => e.snapshot()));
    } catch {
      return; // the worker died: it restarts from the previous snapshot
    }
    this.persist();
  }

  /**
   * The swarm changed outside a command (the dock paused or stepped it): its snapshot is taken
   * now, so a reload or a restarted worker finds it as the learner left it.
   */
  async saveSwarm(): Promise<void> {
    if (this.backend === 'simulated' && this.link) await this.refreshSnapshot();
  }

  /** Saves swarm, screen and notes in the tab's storage for the next page load. */
  private persist(): void {
    this.keeper.save(this.backend === 'simulated' ? this.savedScreen() : (this.simScreen ?? []));
  }

  /** The screen's logical lines, without the input line being edited (or with a running command's last line). */
  private savedScreen(): string[] {
    const b = this.term.buffer.active;
    return screenLines(b, this.state === 'ready' ? b.baseY + b.cursorY - this.cursorRow : b.baseY + b.cursorY + 1);
  }

  /** Calls the engine; rejects with WorkerDied instead of hanging if the worker dies. */
  private call<T>(f: (e: Comlink.Remote<TerminalEngine>) => Promise<T>): Promise<T> {
    return this.link ? this.link.call(f) : Promise.reject(new WorkerDied());
  }

  /** A call that may keep the worker busy for a while: the heartbeat is patient meanwhile. */
  private patientCall<T>(f: (e: Comlink.Remote<TerminalEngine>) => Promise<T>): Promise<T> {
    const p = this.call(f);
    this.link?.patient(p).catch(() => undefined);
    return p;
  }

  /** Test hook: kills the worker the way a crash would (an error event). */
  simulateCrash(): void {
    this.link?.worker.dispatchEvent(new Event('error'));
  }

  /** Test hook: the worker ends without a word, as when the browser reclaims it (the heartbeat finds out). */
  simulateKill(): void {
    this.link?.terminateSilently();
  }

  // ------------------------------------------------------------------ input

  private keyFilter(e: KeyboardEvent): boolean {
    if (e.type !== 'keydown') return true;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    // Ctrl-C copies when there is a selection; otherwise it is ^C for the shell.
    if (mod && key === 'c' && (e.shiftKey || this.term.hasSelection())) {
      void this.copy(this.term.getSelection());
      this.term.clearSelection();
      e.preventDefault();
      return false;
    }
    // Ctrl-V / Ctrl-Shift-V: let the browser paste (xterm receives the paste event).
    if (mod && key === 'v') return false;
    return true;
  }

  private async copy(text: string): Promise<void> {
    if (text === '') return;
    await navigator.clipboard?.writeText(text).catch(() => undefined);
  }

  private input(keys: string[]): void {
    if (this.state === 'busy' || this.state === 'loading') {
      const i = keys.indexOf('\x03');
      if (i >= 0 && this.state === 'busy') {
        // Ctrl-C stops the running command and throws away what was typed ahead.
        this.typeahead = [];
        this.interrupt();
        keys = keys.slice(i + 1);
      }
      this.typeahead.push(...keys);
      return;
    }
    this.typeahead.push(...keys);
    this.drain();
  }

  private interrupt(): void {
    // The terminal echoes ^C where the cursor is; docker's own message follows.
    this.term.write('^C');
    void this.lines()?.interrupt().catch(() => undefined);
  }

  /** Applies queued keys until one starts a command (or asks the worker something). */
  private drain(): void {
    if (this.processing) return;
    this.processing = true;
    void this.drainAsync().finally(() => (this.processing = false));
  }

  private async drainAsync(): Promise<void> {
    while (this.state === 'ready' && this.typeahead.length > 0) {
      const k = this.typeahead.shift()!;
      if (this.backend === 'lost') {
        // Nothing to type into: Enter takes the simulated swarm back, other keys do nothing.
        if (k === '\r') await this.useSimulated();
        continue;
      }
      // What the input line looked like before the key: Enter and Ctrl-C leave it on screen.
      const prompt = this.editor.promptFor(this.mainPrompt);
      const line = this.editor.line;
      const r = this.editor.key(k);
      switch (r.kind) {
        case 'redraw':
          // A paste redraws once, when the queue has no more keys.
          if (this.typeahead.length === 0) this.redraw();
          break;
        case 'none':
          break;
        case 'cancel':
          this.leaveLine(prompt, line, '^C');
          this.redraw();
          break;
        case 'clear':
          this.term.write('\x1b[H\x1b[2J');
          this.cursorRow = 0;
          this.redraw();
          break;
        case 'continue':
          this.leaveLine(prompt, line, '');
          this.redraw();
          break;
        case 'complete':
          await this.complete();
          break;
        case 'submit':
          this.leaveLine(prompt, line, '');
          await this.runLine(r.line);
          break;
      }
    }
  }

  /** Redraws a finished input line in full (cursor at its end), adds `suffix`, moves down. */
  private leaveLine(prompt: string, line: string, suffix: string): void {
    const r = renderLine(prompt, line, line.length, this.term.cols, this.cursorRow);
    this.term.write(`${r.text}${suffix}\r\n`);
    this.cursorRow = 0;
  }

  private redraw(): void {
    if (this.state !== 'ready' || this.backend === 'lost') return;
    const r = renderLine(this.editor.promptFor(this.mainPrompt), this.editor.line, this.editor.cursor, this.term.cols, this.cursorRow);
    this.term.write(r.text);
    this.cursorRow = r.cursorRow;
  }

  private async complete(): Promise<void> {
    let answer: Completion;
    const engine = this.lines();
    if (!engine) return;
    try {
      answer = await engine.complete(this.editor.line, this.editor.cursor);
    } catch {
      return;
    }
    const r = this.editor.applyCompletion(answer);
    if (r.kind === 'inserted') this.redraw();
    else if (r.kind === 'list') {
      this.leaveLine(this.editor.promptFor(this.mainPrompt), this.editor.line, '');
      this.term.write(`${r.candidates.join('  ')}\r\n`);
      this.redraw();
    } else this.term.write('\x07');
  }

  /**
   * A failure injected from the swarm view: its `lab` line (`line`) is shown at the prompt as if
   * typed and run through TerminalEngine.inject, so it is answered, recorded and undone like a
   * command. Only on the simulated swarm with the prompt ready; false otherwise.
   */
  inject(kind: InjectionKind, target: string, line: string): boolean {
    if (this.state !== 'ready' || this.backend !== 'simulated') return false;
    this.leaveLine(this.editor.promptFor(this.mainPrompt), line, '');
    // Keys typed meanwhile wait, as behind any command, and are applied after it.
    void this.runLine(line, (cols, out) => this.call((e) => e.inject(kind, target, cols, Comlink.proxy(out)))).then(() => this.drain());
    return true;
  }

  private async runLine(line: string, via?: (cols: number, out: (text: string) => unknown) => Promise<number>): Promise<void> {
    store(HISTORY_KEY, JSON.stringify(this.editor.history));
    const engine = this.lines();
    if (!engine) return; // the local server is lost: drainAsync offers the simulator instead
    const generation = this.generation;
    this.setState('busy');
    const b = this.term.buffer.active;
    const startRow = b.baseY + b.cursorY;
    try {
      // Output of a command from before a switch or reset must not reach the new screen.
      const out = (text: string): unknown => generation === this.generation && this.term.write(text);
      await (via ? via(this.term.cols, out) : engine.run(line, this.term.cols, out));
      const prompt = await engine.prompt();
      if (generation === this.generation) this.mainPrompt = prompt;
      if (engine === this.sim) await this.refreshSnapshot();
    } catch (e) {
      if (e instanceof WorkerDied) return; // onWorkerDeath restarts and redraws
      if (e instanceof RemoteClosed) return; // onRemoteLost says so and offers the simulator
      throw e;
    }
    if (generation !== this.generation) return; // the swarm was reset or switched meanwhile: that redraws
    // Output written just before the reply may still be in xterm's write queue.
    await new Promise<void>((r) => this.term.write('', r));
    // The prompt is drawn from column 0; keep a last line without newline (or ^C) visible.
    if (this.term.buffer.active.cursorX !== 0) this.term.write('\r\n');
    this.announceSince(line, startRow);
    this.cursorRow = 0;
    this.setState('ready');
    this.redraw();
    for (const l of this.commandListeners) l(line);
  }

  // ------------------------------------------------------------------ screen reader

  /** Adds the command and what it printed (as the screen shows it) to the live transcript. */
  private announceSince(line: string, startRow: number): void {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = Math.max(0, startRow); i < b.baseY + b.cursorY + 1; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    this.announce(`$ ${line}\n${out.join('\n')}`);
  }

  private announce(text: string): void {
    const live = this.live;
    if (!live) return;
    const entry = document.createElement('pre');
    entry.textContent = text;
    live.append(entry);
    while (live.childElementCount > TRANSCRIPT_ENTRIES) live.firstElementChild?.remove();
  }

  // ------------------------------------------------------------------ state

  private setState(s: TerminalState): void {
    this.state = s;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l(this);
  }
}

let instance: TerminalSession | undefined;

/** The page's terminal, created on first use and kept for the life of the page. */
export function terminalSession(): TerminalSession {
  instance ??= new TerminalSession();
  return instance;
}
