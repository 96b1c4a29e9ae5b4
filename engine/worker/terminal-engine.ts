// What the lesson terminal talks to: one realtime session (simulated swarm + shell) and
// the driver that moves its clock with the wall clock. The worker entry exposes an
// instance through comlink; tests use it the same way. No DOM, no Node: it runs in a
// Web Worker.
import { releaseProxy } from 'comlink';
import type { StepResult } from '../../content/lessons/run.js';
import type { CheckResult } from '../../content/lessons/types.js';
import { checkApi, checkLesson, checkPrecondition, varsOfLesson } from '../../content/lessons/run.js';
import { loadDockerCli } from '../cli/lazy.js';
import { batchedWriter } from '../output-batch.js';
import { RealtimeDriver, Session } from '../session.js';
import type { ShellIo } from '../shell/shell.js';
import type { ShellText } from '../shell/text.js';
import { ENGLISH } from '../shell/text.js';
import type { SessionSnapshot } from '../snapshot.js';
import { labLine } from '../shell/shell.js';
import type { InjectionKind } from '../sim/faults.js';
import { isSessionSnapshot, restoreSession } from '../snapshot.js';
import type { Completion } from './complete.js';
import { complete, swarmNames } from './complete.js';
import type { Speed } from './speed.js';
import { SPEEDS } from './speed.js';
import type { StepChange } from '../step.js';
import { changesSince, observe } from '../step.js';
import type { ViewSink, ViewSubject, ViewWatcher, ViewWatchOptions } from './view-watch.js';

export type { StepResult } from '../../content/lessons/run.js';
export type { Speed } from './speed.js';
export type { StepChange } from '../step.js';
export { SPEEDS } from './speed.js';
export type { ViewSink, ViewWatchOptions } from './view-watch.js';

export interface EngineOptions {
  seed?: number;
  topology?: string;
  /** false: machines without a swarm (the create-swarm lesson). */
  swarm?: boolean;
  /** Lines run silently, fast-forwarded, to reach a lesson's start state. */
  setup?: string[];
}

/** The swarm's own clock and history as the dock shows them (timeInfo). */
export interface TimeInfo {
  /** Virtual ms since the swarm started (formatSwarmTime makes `+2m10s` of it). */
  swarmMs: number;
  /** The learner's pause (Session.paused), not the hidden tab's. */
  paused: boolean;
  /** How fast the swarm's clock runs while it is not paused (and the tab shown). */
  speed: Speed;
  /** A command runs: undo and redo wait for it to end. */
  running: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** The command undo would take back, and the one redo would bring back (for the buttons' titles). */
  undoLine?: string;
  redoLine?: string;
}

/** What one step did: the time info after it, and what changed (engine/step.ts). */
export interface StepOutcome extends TimeInfo {
  /** False when nothing was scheduled: the swarm has nothing left to do until something changes it. */
  moved: boolean;
  changes: StepChange[];
}

export interface ReadyInfo {
  prompt: string;
  hostnames: string[];
  speed: Speed;
}

/** Through comlink a callback is a proxy holding a message port: let it go with the watch. */
function release(callback: unknown): void {
  const r = (callback as { [releaseProxy]?: () => void })[releaseProxy];
  if (typeof r === 'function') r.call(callback);
}

/** Output reaches the page in batches: one message per burst of writes, not per write. */
type OutputSink = (text: string) => unknown;

/** Hands the worker's event loop back for one turn (messages from the page get through). */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A width from the page, made safe: a whole number of columns in 10..1000 (80 if not a number). */
function terminalWidth(columns: unknown): number {
  const n = typeof columns === 'number' && Number.isFinite(columns) ? Math.floor(columns) : 80;
  return Math.min(1000, Math.max(10, n));
}

export class TerminalEngine {
  private session!: Session;
  private driver!: RealtimeDriver;
  private running: AbortController | undefined;
  /** The running command's terminal (its width follows the page's terminal: resize()). */
  private runningIo: ShellIo | undefined;
  private speed: Speed = 1;
  private paused = false;
  /** The page's swarm view, while it is open (see watchView). */
  private view: ViewWatcher | undefined;
  /** Bumped by each watch and unwatch: a watch whose code is still loading is stale once it moved. */
  private viewWatches = 0;
  private viewOptions: ViewWatchOptions = {};
  /** The shell's own words in the page's language (setLanguage); a new session gets them too. */
  private text: ShellText = ENGLISH;

  constructor(opts: EngineOptions = {}) {
    this.build(opts);
  }

  private build(opts: EngineOptions): void {
    this.use(
      new Session({
      // A learner's swarm differs each visit; tests pass a seed.
      seed: opts.seed ?? Math.floor(Math.random() * 2 ** 31),
      startEpochMs: Date.now(),
      mode: 'realtime',
      ...(opts.topology !== undefined ? { topology: opts.topology } : {}),
      ...(opts.swarm !== undefined ? { swarm: opts.swarm } : {}),
      }),
    );
  }

  private use(session: Session): void {
    this.driver?.stop();
    this.session = session;
    session.shell.text = this.text;
    // The heartbeat and Ctrl-C must get through while a read of a huge service builds its views.
    session.sim.yieldToHost = yieldToEventLoop;
    this.driver = new RealtimeDriver(this.session, this.speed);
    this.driver.afterTick = () => this.view?.poke();
    if (!this.paused) this.driver.start();
    // Another swarm: the view draws it even if its revision happens to match the old one's.
    this.view?.poke(true);
  }

  /** What the swarm view reads: this engine's current session (a reset or restore replaces it). */
  private viewSubject(): ViewSubject {
    const session = this.session;
    const sim = session.sim;
    return {
      // Undo and redo replace the simulator: its own counter could meet the old one's.
      revision: () => `${session.generation}:${sim.cluster.revision}`,
      apis: () => sim.hostnames().map((h) => sim.api(h)),
      self: () => session.shell.node,
      now: () => sim.clock.epochNow(),
      served: () => {
        const r = sim.cluster.lastServed;
        return r && { seq: r.seq, task: r.taskId, entry: r.entry, from: r.from, mode: r.mode };
      },
    };
  }

  /**
   * The page's swarm view opened: `sink` gets the view model (engine/view/model.ts) now and
   * whenever the swarm changes, one at a time, the next only once the page has answered the
   * last (it answers after drawing, on an animation frame). Replaces an earlier watch.
   */
  async watchView(sink: ViewSink, options: ViewWatchOptions = {}): Promise<void> {
    this.unwatchView();
    const watch = this.viewWatches;
    this.viewOptions = { ...options };
    // The watcher and the derivation are a chunk of their own: a page that never opens the
    // view (or before it does) never loads them.
    const { ViewWatcher } = await import('./view-watch.js');
    if (watch !== this.viewWatches) return release(sink);
    this.view = new ViewWatcher(() => this.viewSubject(), sink, this.viewOptions, () => release(sink));
    this.view.poke();
  }

  /** The view's options changed (its history toggle): the next model follows them. */
  setViewOptions(options: ViewWatchOptions): void {
    this.viewOptions = { ...options };
    this.view?.setOptions(options);
  }

  /** The view was collapsed or closed: no more models, no work. */
  unwatchView(): void {
    this.viewWatches++;
    this.view?.stop();
    this.view = undefined;
  }

  /** Answers once the session exists; the page uses it as its "worker is alive" probe. */
  ready(): ReadyInfo {
    return { prompt: this.session.shell.prompt(), hostnames: this.session.sim.hostnames(), speed: this.speed };
  }

  /** A fresh swarm (Reset, or a lesson's start state). Setup output is discarded. */
  async reset(opts: EngineOptions = {}): Promise<ReadyInfo> {
    this.interrupt();
    this.build(opts);
    for (const line of opts.setup ?? []) await this.fastForward(line);
    // The lesson's start state is where undo stops: its setup lines are not the learner's.
    this.session.undo.clear();
    this.view?.poke();
    return this.ready();
  }

  /**
   * The swarm as plain data (see engine/snapshot.ts); the page keeps the latest one so a
   * crashed worker or a new page can pick up where the learner was.
   */
  snapshot(): SessionSnapshot {
    return this.session.snapshot();
  }

  /**
   * The swarm a snapshot describes, its clock moved on by `elapsedMs` of virtual time (the
   * time the page was away). A snapshot that is not one (storage from another version,
   * tampered with) throws, leaving the current swarm as it was.
   */
  async restore(snap: unknown, elapsedMs = 0): Promise<ReadyInfo> {
    if (!isSessionSnapshot(snap)) throw new TypeError('not a swarm snapshot');
    this.interrupt();
    const later = snap.now + (Number.isFinite(elapsedMs) ? Math.min(Math.max(0, elapsedMs), 24 * 3_600_000) : 0);
    this.use(await restoreSession(snap, 'realtime', later));
    return this.ready();
  }

  /**
   * Runs one logical line as if typed at a tty `columns` wide, streaming its output to
   * `onOutput` as the command writes (so the progress display animates). Resolves to the
   * exit code, after the last output has been sent.
   */
  async run(line: string, columns: number, onOutput: OutputSink): Promise<number> {
    this.interrupt();
    const controller = new AbortController();
    this.running = controller;
    // Through comlink the sink is a proxy with its own message port: its calls are not
    // ordered with this method's reply, so the reply waits until every chunk is acknowledged.
    let delivered: Promise<unknown> = Promise.resolve();
    const writer = batchedWriter((text) => void (delivered = Promise.all([delivered, onOutput(text)])));
    const io: ShellIo = { stdout: writer, stderr: writer, tty: true, columns: terminalWidth(columns), signal: controller.signal };
    this.runningIo = io;
    try {
      return await this.session.run(line, io);
    } finally {
      writer.flush();
      // A command changes the swarm (or the shell's machine) at once, not on the next tick.
      this.view?.poke();
      if (this.running === controller) this.running = undefined;
      if (this.runningIo === io) this.runningIo = undefined;
      await delivered.catch(() => undefined);
    }
  }

  /**
   * A failure injected from the swarm view (stop or start a node, kill a task): runs the
   * `lab` line it stands for (engine/shell/shell.ts, labLine) as if typed, so it is answered,
   * recorded and undone like any command. A kind that is not one throws.
   */
  inject(kind: InjectionKind, target: string, columns: number, onOutput: OutputSink): Promise<number> {
    return this.run(labLine(kind, String(target)), columns, onOutput);
  }

  /**
   * The page's language for the shell's own words (help, pause, undo, lab...): `zh-cn` loads
   * the Chinese ones (a chunk only a Chinese page asks for); anything else is English.
   * Docker's output stays English either way, as a real terminal's does.
   */
  async setLanguage(lang: string): Promise<void> {
    this.text = String(lang).toLowerCase() === 'zh-cn' ? (await import('../shell/text-zh.js')).CHINESE : ENGLISH;
    this.session.shell.text = this.text;
  }

  /**
   * Loads the docker CLI (engine/cli/lazy.ts) now rather than on the first command: the page
   * asks once its prompt is ready, so a restored swarm's prompt never waits for the CLI and
   * the learner's first command does not either.
   */
  async loadCli(): Promise<void> {
    await loadDockerCli();
  }

  /**
   * The page's terminal changed width while a command runs: what it draws from now on (the
   * progress display counts wrapped rows) follows. Between commands, run() brings the width.
   */
  resize(columns: number): void {
    if (this.runningIo) this.runningIo.columns = terminalWidth(columns);
  }

  /** Ctrl-C: the running command stops waiting (the swarm carries on). */
  interrupt(): boolean {
    const r = this.running;
    if (!r) return false;
    r.abort();
    this.running = undefined;
    return true;
  }

  prompt(): string {
    return this.session.shell.prompt();
  }

  history(): string[] {
    return [...this.session.shell.history];
  }

  complete(line: string, cursor: number): Promise<Completion> {
    const session = this.session;
    return complete(line, cursor, swarmNames(() => session.sim.api(session.shell.node), () => session.sim.hostnames()));
  }

  /**
   * Runs every step's check of the lesson on the current swarm (through the first manager,
   * whichever machine the shell is on). Unknown lesson ids throw: the page passes its own id.
   */
  async check(lessonId: string): Promise<StepResult[]> {
    return checkLesson(lessonId, checkApi(this.session));
  }

  /** Whether the current swarm meets what the lesson starts from; its reason says what differs. */
  async precondition(lessonId: string): Promise<CheckResult> {
    return checkPrecondition(lessonId, checkApi(this.session));
  }

  /** Values for the lesson's `$NAME` placeholders on this swarm ({} when it has none or they cannot be read yet). */
  async vars(lessonId: string): Promise<Record<string, string>> {
    // Before `swarm init` the join token does not exist: the command is then typed as written.
    return varsOfLesson(lessonId, checkApi(this.session));
  }

  setSpeed(speed: Speed): Speed {
    if (!SPEEDS.includes(speed)) throw new RangeError(`speed must be one of ${SPEEDS.join(', ')}`);
    this.speed = speed;
    this.driver.speed = speed;
    return speed;
  }

  /** The page is hidden: the swarm's clock stops, so no work is done. */
  pause(): void {
    this.paused = true;
    this.driver.stop();
    // What changed since the last tick is drawn before the clock stops.
    this.view?.poke();
  }

  resume(): void {
    this.paused = false;
    this.driver.start();
  }

  /**
   * The dock's clock and buttons: where the swarm's time is and how it moves. The page draws
   * `+2m10s` from this and the speed between calls (a few a second at most), so no call per frame.
   */
  timeInfo(): TimeInfo {
    const s = this.session;
    const undo = s.undo.peekUndo();
    const redo = s.undo.peekRedo();
    return {
      swarmMs: s.sim.clock.now,
      paused: s.paused,
      speed: this.speed,
      running: this.running !== undefined,
      canUndo: undo !== undefined,
      canRedo: redo !== undefined,
      ...(undo ? { undoLine: undo.line } : {}),
      ...(redo ? { redoLine: redo.mark.line } : {}),
    };
  }

  /**
   * The dock's Pause: the swarm's clock stands still (the learner's pause, Session.paused,
   * unlike pause() below, the hidden tab's). Acts on the session, not through the shell, so it
   * works while a command runs; a command waiting on the swarm then says it waits for it.
   */
  learnerPause(): TimeInfo {
    this.session.paused = true;
    this.view?.poke();
    return this.timeInfo();
  }

  /** The dock's Play: the clock moves again, and a command waiting on the paused swarm goes on by itself. */
  learnerPlay(): TimeInfo {
    this.session.paused = false;
    return this.timeInfo();
  }

  /**
   * The dock's Step: the swarm moves to its next event and stays paused there (Session.step),
   * also while a command waits on it (its own waits due on the way run too).
   */
  stepSwarm(): StepOutcome {
    const sim = this.session.sim;
    const before = observe(sim);
    const moved = this.session.step();
    const changes = moved ? changesSince(sim, before) : [];
    this.view?.poke();
    return { ...this.timeInfo(), moved, changes };
  }

  /** Virtual time in ms since the epoch (for tests and the page's clock display). */
  now(): number {
    return this.session.clock.now();
  }

  /**
   * Runs a setup line with the clock jumping from one due timer to the next, so a
   * lesson's start state (services converged, updates done) is reached in milliseconds.
   */
  private async fastForward(line: string): Promise<void> {
    // Before the clock starts jumping: a command still waiting for its code would leave no
    // timer due, which ends the fast-forward.
    await loadDockerCli();
    const sink = { write: (): void => {} };
    const controller = new AbortController();
    let done = false;
    const finished = this.session
      .run(line, { stdout: sink, stderr: sink, tty: false, columns: 80, signal: controller.signal })
      .finally(() => void (done = true));
    const clock = this.session.sim.clock;
    const deadline = clock.now + 3_600_000;
    while (!done) {
      // Let the command react to what the last step changed before moving time again.
      await new Promise<void>((r) => setTimeout(r, 0));
      if (done) break;
      // A read holding the swarm still (Simulator.reading) finishes first.
      if (this.session.sim.reading > 0) continue;
      const due = clock.nextDue();
      if (due === undefined || clock.now > deadline) {
        controller.abort();
        break;
      }
      clock.advance(Math.max(0, due - clock.now));
    }
    await finished;
  }
}
