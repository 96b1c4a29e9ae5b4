// A learner's session: one simulated swarm, one shell, and a clock policy.
//  - instant: nothing moves between commands; a command that waits (the progress
//    display, `sleep`) advances virtual time itself, so scripts run as fast as the CPU.
//  - realtime: virtual time follows the wall clock times `speed`; waits resolve when the
//    swarm's clock gets there. The driver that ticks it is the host's (worker, terminal).
import type { CliClock } from './cli/context.js';
import { Journal, simulatorStamp } from './journal.js';
import { isApiError } from './api/swarm-api.js';
import type { InjectionOutcome, ShellIo } from './shell/shell.js';
import type { InjectionKind } from './sim/faults.js';
import { applyInjection, planInjection } from './sim/faults.js';
import { Shell } from './shell/shell.js';
import type { SimulatorOptions } from './sim/simulator.js';
import { DEFAULT_START_EPOCH_MS, Simulator } from './sim/simulator.js';
import type { JournalEntry } from './journal.js';
import type { SessionSnapshot } from './snapshot.js';
import { restoreSession, SNAPSHOT_FORMAT } from './snapshot.js';
import { sessionControl } from './session-control.js';
import { UndoHistory } from './undo.js';
import type { VirtualClock } from './sim/clock.js';

export type ClockMode = 'instant' | 'realtime';

export interface SessionOptions extends SimulatorOptions {
  mode?: ClockMode;
  /** Node the shell starts on (default: the first manager). */
  startNode?: string;
  /** `exit` on the first node ends the session (real terminals). */
  canExit?: boolean;
  /** Instant mode: the work one command may make (default MAX_EVENTS_PER_COMMAND; tests lower it). */
  maxEventsPerCommand?: number;
}

/** Longest simulated time one command may wait in instant mode. */
export const MAX_WAIT_MS = 3_600_000;

/** How long a command may wait on a swarm where nothing is scheduled to happen. */
export const MAX_IDLE_WAIT_MS = 60_000;

/**
 * Most work one command may make the swarm do in instant mode, in simulated events (timers
 * run); what the command reads counts too: a task view built as one event, a task a task list
 * looks at as 1/TASK_READS_PER_EVENT (so the progress display polling a huge service is
 * bounded as well). A swarm that only churns (20,000 replicas of an image no node can pull, each
 * rejected and replaced every few seconds) makes some 22,000 events per second of its time:
 * without a bound, `sleep 3600` over it would run for many minutes. This is a few seconds of
 * CPU; ordinary commands stay far below it (the busiest line of the rolling-update walkthrough
 * makes ~60; an attached create of 1,000 replicas ~11,000, an attached rolling update of them,
 * 34 minutes of swarm time, ~240,000).
 */
export const MAX_EVENTS_PER_COMMAND = 500_000;
export const TASK_READS_PER_EVENT = 64;

/**
 * Longest one tick of the realtime driver may run the swarm's timers, in ms of wall time: the
 * worker must stay free to answer the terminal. Time the tick could not simulate is owed to
 * the next ticks (the swarm falls behind the wall clock, then catches up) up to
 * MAX_LAG_WALL_MS × speed; beyond that it is dropped, and the swarm runs slower than asked.
 */
export const TICK_BUDGET_MS = 25;
export const MAX_LAG_WALL_MS = 2_000;

const abortError = (): Error => Object.assign(new Error('aborted'), { name: 'AbortError' });

/**
 * The CLI's clock on a simulated swarm whose virtual clock is moved by someone else (the
 * realtime driver, a test's interval): waits resolve when virtual time gets there, and an
 * aborted wait (Ctrl-C) rejects with an AbortError.
 */
export function realtimeCliClock(clockOf: VirtualClock | (() => VirtualClock)): CliClock {
  // A function when the session's swarm can be replaced under it (undo rewinds it).
  const current = typeof clockOf === 'function' ? clockOf : () => clockOf;
  return {
    now: () => current().epochNow(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const clock = current();
        const id = clock.atForCli(clock.now + Math.max(0, ms), () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        const onAbort = (): void => {
          clock.cancel(id);
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export class Session {
  private current: Simulator;
  private recipe: Journal;
  readonly shell: Shell;
  readonly clock: CliClock;
  readonly mode: ClockMode;
  private readonly maxEvents: number;
  /** The commands `undo` can take back (engine/undo.ts). */
  readonly undo = new UndoHistory();
  /**
   * Bumped each time undo or redo replaces the simulator: whoever keeps something of `sim`
   * (a view of it, a listener on its store) looks again when this changes.
   */
  generation = 0;
  /**
   * The learner's pause (the dock's Pause, the `pause` builtin): the realtime driver moves no
   * time while it is set; `step` moves the swarm one event at a time. Instant mode ignores it.
   */
  get paused(): boolean {
    return this.pausedNow;
  }

  set paused(on: boolean) {
    if (on === this.pausedNow) return;
    this.pausedNow = on;
    // A command already waiting (the dock paused it mid-update) says so (CliClock.onPause).
    if (on) for (const l of [...this.pauseListeners]) l();
  }

  private pausedNow = false;
  private readonly pauseListeners = new Set<() => void>();

  /** The simulated swarm (replaced, whole, by undo and redo). */
  get sim(): Simulator {
    return this.current;
  }

  /** Every state-changing call the shell made: with `simOptions`, the recipe for this swarm. */
  get journal(): Journal {
    return this.recipe;
  }
  /** The simulator's options with their defaults filled in (a snapshot must not depend on defaults). */
  readonly simOptions: Required<Pick<SimulatorOptions, 'seed' | 'startEpochMs'>> & Pick<SimulatorOptions, 'topology' | 'swarm'>;

  constructor(opts: SessionOptions = {}) {
    this.simOptions = {
      seed: opts.seed ?? 1,
      startEpochMs: opts.startEpochMs ?? DEFAULT_START_EPOCH_MS,
      ...(opts.topology !== undefined ? { topology: opts.topology } : {}),
      ...(opts.swarm !== undefined ? { swarm: opts.swarm } : {}),
    };
    this.current = new Simulator(this.simOptions);
    this.recipe = new Journal(() => this.current.clock.now);
    // A refused write that changed nothing is not kept: the saved swarm (sessionStorage in the
    // browser, serve's journal) holds only what replay needs, however often the learner's
    // command is refused.
    this.recipe.stamp = simulatorStamp(this.current);
    this.mode = opts.mode ?? 'instant';
    this.maxEvents = opts.maxEventsPerCommand ?? MAX_EVENTS_PER_COMMAND;
    this.clock =
      this.mode === 'instant'
        ? this.instantClock()
        : {
            ...realtimeCliClock(() => this.sim.clock),
            paused: () => this.paused,
            pausedNotice: () => this.shell.text.pausedWait,
            onPause: (listener) => {
              this.pauseListeners.add(listener);
              return () => void this.pauseListeners.delete(listener);
            },
          };
    const start = opts.startNode ?? this.sim.hostnames()[0]!;
    this.shell = new Shell(
      {
        api: (h) => (this.sim.hostnames().includes(h) ? this.journal.wrap(h, this.sim.api(h)) : undefined),
        hostnames: () => this.sim.hostnames(),
        clock: this.clock,
        canExit: opts.canExit ?? false,
        control: sessionControl(this),
        // The routing mesh and the tasks' servers, loaded with the first curl (engine/sim/curl-sim.ts).
        curl: {
          curl: async (req, signal, hooks) => (await import('./sim/curl-sim.js')).curlOnSimulator(this.sim, req, (ms, s) => this.clock.sleep(ms, s), signal, hooks),
        },
      },
      start,
    );
  }

  /**
   * Runs one line. In instant mode a command that waits (the progress display) may spend
   * at most MAX_WAIT_MS of simulated time, or a minute with nothing left to happen in the
   * swarm; then it is interrupted as Ctrl-C would, so a script never hangs on a swarm that
   * cannot converge (every node drained, a crash-looping global service).
   */
  async run(line: string, io: ShellIo): Promise<number> {
    // A command that wrote to the swarm can be undone: its mark is where it began.
    const mark = { entries: this.journal.entries.length, at: this.sim.clock.now, line };
    const generation = this.generation;
    try {
      return await this.runLine(line, io);
    } finally {
      // Not a line that was itself an undo or redo (it replaced the swarm).
      if (this.generation === generation && this.journal.entries.length > mark.entries) this.undo.record(mark);
    }
  }

  private async runLine(line: string, io: ShellIo): Promise<number> {
    if (this.mode !== 'instant') return this.withWaits(io.signal, () => this.shell.run(line, io));
    const watchdog = new AbortController();
    const forward = (): void => watchdog.abort();
    io.signal.addEventListener('abort', forward, { once: true });
    if (io.signal.aborted) watchdog.abort();
    const budget: WaitBudget = {
      start: this.sim.clock.now,
      idleSince: undefined,
      controller: watchdog,
      firedAtStart: this.sim.clock.fired,
      readAtStart: this.sim.views.tasksRead,
      builtAtStart: this.sim.views.tasksBuilt,
      exhausted: false,
    };
    this.waitBudget = budget;
    try {
      return await this.withWaits(watchdog.signal, () => this.shell.run(line, { ...io, signal: watchdog.signal }));
    } finally {
      this.waitBudget = undefined;
      io.signal.removeEventListener('abort', forward);
      if (budget.exhausted) io.stderr.write(busyNotice(this.sim.clock.now - budget.start, this.sim.clock.fired - budget.firedAtStart + this.readCost(budget)));
    }
  }

  /** This swarm as a replayable recipe (see engine/journal.ts); plain data, JSON-safe. */
  snapshot(): SessionSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      sim: { ...this.simOptions },
      journal: [...this.journal.entries],
      shell: this.shell.state(),
      now: this.sim.clock.now,
      undo: this.undo.saved.map((m) => ({ ...m })),
      ...(this.paused ? { paused: true } : {}),
    };
  }

  /**
   * Puts the swarm back to what `entries` made of it by virtual time `at`: a fresh simulator
   * replays them (restoreSession) and takes this one's place. The shell stays as it is.
   */
  async rewind(entries: readonly JournalEntry[], at: number): Promise<void> {
    const snap: SessionSnapshot = { ...this.snapshot(), journal: [...entries], now: at, undo: [] };
    const fresh = await restoreSession(snap, this.mode, at);
    this.current = fresh.sim;
    this.recipe = fresh.journal;
    this.generation++;
  }

  /**
   * Injects a failure (engine/sim/faults.ts) and records it in the swarm's recipe, so it is
   * undone, saved and replayed like a write. Refused (nothing changed, nothing recorded) when
   * its target does not exist or is already so.
   */
  inject(kind: InjectionKind, ref: string): InjectionOutcome {
    const plan = planInjection(this.sim, kind, ref);
    if ('refused' in plan) return plan;
    const sim = this.sim;
    try {
      this.journal.inject(plan.injection, () => applyInjection(sim, plan.injection));
    } catch (e) {
      if (isApiError(e)) return { full: e.message };
      throw e;
    }
    const answersAt = plan.injection.kind === 'node-start' ? sim.daemonAnswersAt(plan.injection.target) : undefined;
    return { done: answersAt === undefined ? plan.done : { ...plan.done, answersIn: answersAt - sim.clock.now } };
  }

  /** Takes the swarm back to just before the last command that changed it; its line, or undefined. */
  async undoLast(): Promise<string | undefined> {
    const mark = this.undo.peekUndo();
    if (!mark) return undefined;
    const now = { entries: [...this.journal.entries], at: this.sim.clock.now };
    await this.rewind(this.journal.entries.slice(0, mark.entries), mark.at);
    this.undo.undone(now.entries, now.at);
    return mark.line;
  }

  /** Brings back what the last undo took back, as it was at that instant; its line, or undefined. */
  async redoLast(): Promise<string | undefined> {
    const point = this.undo.peekRedo();
    if (!point) return undefined;
    await this.rewind(point.entries, point.at);
    this.undo.redone();
    return point.mark.line;
  }

  /**
   * Moves the swarm to its next event (a timer of the scheduler, agent, orchestrator, updater
   * or reaper; the CLI's own waits due before it run on the way) and pauses it there. What
   * changed is for the caller to describe (engine/step.ts).
   */
  step(): boolean {
    this.paused = true;
    return this.sim.clock.runToSwarmEvent();
  }

  private waitBudget: WaitBudget | undefined;

  /**
   * Runs a line's shell with its swarm's daemons able to wait (for a leader) on this session's
   * clock and the line's Ctrl-C, as the command would. Only a command waits: a read made
   * between lines (a lesson's check, Tab completion, a test's look) is answered at once.
   */
  private async withWaits(signal: AbortSignal, run: () => Promise<number>): Promise<number> {
    const sim = this.sim;
    sim.wait = (ms) => this.clock.sleep(ms, signal);
    try {
      return await run();
    } finally {
      sim.wait = undefined;
    }
  }

  /** Moves virtual time forward by `ms`, running every timer on the way. */
  advance(ms: number): void {
    this.sim.clock.advance(ms);
  }

  /**
   * The realtime driver's step: moves virtual time forward by up to `ms`, but runs timers for
   * at most `budgetMs` of wall time as `wall` tells it (checked before each timer: reading the
   * clock costs far less than a timer, and one timer may place a whole batch of tasks). At
   * least one timer runs, so the swarm always moves on. Returns how far it got, in ms.
   */
  advanceWithin(ms: number, budgetMs: number, wall: () => number = wallNow): number {
    const clock = this.sim.clock;
    const from = clock.now;
    const first = clock.fired;
    const deadline = wall() + budgetMs;
    const done = clock.runUntil(from + Math.max(0, ms), (fired) => fired > first && wall() >= deadline);
    return done ? Math.max(0, ms) : clock.now - from;
  }

  /** What the command has read so far, in events (see MAX_EVENTS_PER_COMMAND). */
  private readCost(budget: WaitBudget): number {
    const views = this.sim.views;
    return views.tasksBuilt - budget.builtAtStart + Math.floor((views.tasksRead - budget.readAtStart) / TASK_READS_PER_EVENT);
  }

  private instantClock(): CliClock {
    return {
      now: () => this.sim.clock.epochNow(),
      sleep: (ms, signal) => {
        const clock = this.sim.clock;
        const budget = this.waitBudget;
        if (budget) {
          const now = clock.now;
          budget.idleSince = clock.nextDue() === undefined ? (budget.idleSince ?? now) : undefined;
          if (now - budget.start > MAX_WAIT_MS || (budget.idleSince !== undefined && now - budget.idleSince > MAX_IDLE_WAIT_MS)) {
            budget.controller.abort();
          }
        }
        if (signal?.aborted) return Promise.reject(abortError());
        if (!budget) {
          clock.advance(ms);
          return Promise.resolve();
        }
        const limit = budget.firedAtStart + this.maxEvents - this.readCost(budget);
        if (!clock.runUntil(clock.now + Math.max(0, ms), (fired) => fired >= limit)) {
          // Too busy to simulate on: stop waiting as Ctrl-C would, and say why (see run()).
          budget.exhausted = true;
          budget.controller.abort();
          return Promise.reject(abortError());
        }
        return Promise.resolve();
      },
    };
  }

}

interface WaitBudget {
  /** Virtual time when the command began. */
  start: number;
  idleSince: number | undefined;
  controller: AbortController;
  /** The clock's timer count when the command began. */
  firedAtStart: number;
  /** The views' counters when the command began (see readCost). */
  readAtStart: number;
  builtAtStart: number;
  /** Set when the command stopped waiting because the swarm was too busy. */
  exhausted: boolean;
}

/** Said (on stderr) after a command whose wait was stopped by its work budget (MAX_EVENTS_PER_COMMAND). */
export function busyNotice(virtualMs: number, events: number): string {
  return (
    `swarm-lab: stopped waiting after ${formatSeconds(virtualMs)} of the swarm's time: the swarm is too busy ` +
    `to simulate further in one command (${events.toLocaleString('en-US')} events); run it again to wait longer\n`
  );
}

const formatSeconds = (ms: number): string => `${(Math.round(ms / 100) / 10).toFixed(1)}s`;

/** A monotonic wall clock in ms (the realtime driver's tick budget). */
const wallNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Drives a realtime session from the wall clock: every tick advances virtual time by the
 * real time elapsed times `speed`, but runs the swarm's timers for at most TICK_BUDGET_MS
 * (a swarm too busy for the speed falls behind, see `behindMs`), so the worker's event loop
 * is never blocked for long. Stop it while the terminal is hidden.
 */
export class RealtimeDriver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;

  /**
   * @param wall the clock a tick's TICK_BUDGET_MS is measured on (tests pass a fake one);
   *   elapsed time between ticks is Date.now()'s.
   */
  constructor(
    private readonly session: Session,
    public speed = 1,
    private readonly tickMs = 50,
    private readonly wall: () => number = wallNow,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.last = Date.now();
    this.owed = 0;
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /**
   * Virtual time (ms) the swarm is behind the wall clock × speed: what the last ticks could
   * not simulate within TICK_BUDGET_MS. 0 unless the swarm is too busy for the speed.
   */
  get behindMs(): number {
    return this.owed;
  }

  private owed = 0;

  /** Called after every tick (the worker's swarm view looks for changes then). */
  afterTick: (() => void) | undefined;

  /** One step: the wall time since the last, times speed, within TICK_BUDGET_MS of work. */
  tick(): void {
    const now = Date.now();
    this.owed = Math.min(this.owed + Math.max(0, now - this.last) * this.speed, MAX_LAG_WALL_MS * this.speed);
    this.last = now;
    // Paused by the learner: no time passes, none is owed.
    if (this.session.paused) {
      this.owed = 0;
      return;
    }
    // A read is building its answer in slices: the swarm stays at its instant until it is done.
    if (this.session.sim.reading > 0) return;
    const moved = this.session.advanceWithin(this.owed, TICK_BUDGET_MS, this.wall);
    this.owed = moved >= this.owed ? 0 : this.owed - moved;
    this.afterTick?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
