// A learner's session: one simulated swarm, one shell, and a clock policy.
//  - instant: nothing moves between commands; a command that waits (the progress
//    display, `sleep`) advances virtual time itself, so scripts run as fast as the CPU.
//  - realtime: virtual time follows the wall clock times `speed`; waits resolve when the
//    swarm's clock gets there. The driver that ticks it is the host's (worker, terminal).
import type { CliClock } from './cli/context.js';
import { Journal } from './journal.js';
import type { ShellIo } from './shell/shell.js';
import { Shell } from './shell/shell.js';
import type { SimulatorOptions } from './sim/simulator.js';
import { DEFAULT_START_EPOCH_MS, Simulator } from './sim/simulator.js';
import type { SessionSnapshot } from './snapshot.js';
import { SNAPSHOT_FORMAT } from './snapshot.js';
import type { VirtualClock } from './sim/clock.js';

export type ClockMode = 'instant' | 'realtime';

export interface SessionOptions extends SimulatorOptions {
  mode?: ClockMode;
  /** Node the shell starts on (default: the first manager). */
  startNode?: string;
  /** `exit` on the first node ends the session (real terminals). */
  canExit?: boolean;
}

/** Longest simulated time one command may wait in instant mode. */
export const MAX_WAIT_MS = 3_600_000;

/** How long a command may wait on a swarm where nothing is scheduled to happen. */
export const MAX_IDLE_WAIT_MS = 60_000;

const abortError = (): Error => Object.assign(new Error('aborted'), { name: 'AbortError' });

/**
 * The CLI's clock on a simulated swarm whose virtual clock is moved by someone else (the
 * realtime driver, a test's interval): waits resolve when virtual time gets there, and an
 * aborted wait (Ctrl-C) rejects with an AbortError.
 */
export function realtimeCliClock(clock: VirtualClock): CliClock {
  return {
    now: () => clock.epochNow(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const id = clock.after(ms, () => {
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
  readonly sim: Simulator;
  readonly shell: Shell;
  readonly clock: CliClock;
  readonly mode: ClockMode;
  /** Every state-changing call the shell made: with `simOptions`, the recipe for this swarm. */
  readonly journal: Journal;
  /** The simulator's options with their defaults filled in (a snapshot must not depend on defaults). */
  readonly simOptions: Required<Pick<SimulatorOptions, 'seed' | 'startEpochMs'>> & Pick<SimulatorOptions, 'topology' | 'swarm'>;

  constructor(opts: SessionOptions = {}) {
    this.simOptions = {
      seed: opts.seed ?? 1,
      startEpochMs: opts.startEpochMs ?? DEFAULT_START_EPOCH_MS,
      ...(opts.topology !== undefined ? { topology: opts.topology } : {}),
      ...(opts.swarm !== undefined ? { swarm: opts.swarm } : {}),
    };
    this.sim = new Simulator(this.simOptions);
    this.journal = new Journal(() => this.sim.clock.now);
    this.mode = opts.mode ?? 'instant';
    this.clock = this.mode === 'instant' ? this.instantClock() : realtimeCliClock(this.sim.clock);
    const start = opts.startNode ?? this.sim.hostnames()[0]!;
    this.shell = new Shell(
      {
        api: (h) => (this.sim.hostnames().includes(h) ? this.journal.wrap(h, this.sim.api(h)) : undefined),
        hostnames: () => this.sim.hostnames(),
        clock: this.clock,
        canExit: opts.canExit ?? false,
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
    if (this.mode !== 'instant') return this.shell.run(line, io);
    const watchdog = new AbortController();
    const forward = (): void => watchdog.abort();
    io.signal.addEventListener('abort', forward, { once: true });
    if (io.signal.aborted) watchdog.abort();
    this.waitBudget = { start: this.sim.clock.now, idleSince: undefined, controller: watchdog };
    try {
      return await this.shell.run(line, { ...io, signal: watchdog.signal });
    } finally {
      this.waitBudget = undefined;
      io.signal.removeEventListener('abort', forward);
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
    };
  }

  private waitBudget: { start: number; idleSince: number | undefined; controller: AbortController } | undefined;

  /** Moves virtual time forward (the realtime driver calls this on every tick). */
  advance(ms: number): void {
    this.sim.clock.advance(ms);
  }

  private instantClock(): CliClock {
    const clock = this.sim.clock;
    return {
      now: () => clock.epochNow(),
      sleep: (ms, signal) => {
        const budget = this.waitBudget;
        if (budget) {
          const now = clock.now;
          budget.idleSince = clock.nextDue() === undefined ? (budget.idleSince ?? now) : undefined;
          if (now - budget.start > MAX_WAIT_MS || (budget.idleSince !== undefined && now - budget.idleSince > MAX_IDLE_WAIT_MS)) {
            budget.controller.abort();
          }
        }
        if (signal?.aborted) return Promise.reject(abortError());
        clock.advance(ms);
        return Promise.resolve();
      },
    };
  }

}

/**
 * Drives a realtime session from the wall clock: every tick advances virtual time by the
 * real time elapsed times `speed`. Stop it while the terminal is hidden.
 */
export class RealtimeDriver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;

  constructor(
    private readonly session: Session,
    public speed = 1,
    private readonly tickMs = 50,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.session.advance((now - this.last) * this.speed);
      this.last = now;
    }, this.tickMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
