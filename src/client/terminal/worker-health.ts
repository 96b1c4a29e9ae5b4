// Whether the engine worker still answers. A worker can end without any event reaching the
// page (worker.terminate(), the browser reclaiming it) or hang in a loop, and then comlink's
// calls never settle: the terminal would stay busy forever. So the page pings it. A ping is a
// call the worker's event loop answers between the steps of whatever it is doing: a command
// that waits on the swarm (a `service create` converging at 1x, for many seconds) awaits timers,
// so it still answers within milliseconds; a dead or looping worker does not answer at all.
// Pure (no DOM, no worker): test/worker-health.test.ts drives it with fake timers.

export interface HealthTimes {
  /** How often the watch looks (and sends the next ping once the last one was answered). */
  tickMs: number;
  /** How long a ping may go unanswered before the worker counts as gone. */
  deadlineMs: number;
  /** The deadline while the worker does known long work in one go (starting, replaying a saved swarm). */
  patientMs: number;
}

/**
 * A dead or hung worker is found within tick + deadline (+ one tick): under 2 s, so with the
 * restart the terminal is back within 3 s. The deadline is far above any answer from a
 * working worker, also on a loaded machine.
 */
export const HEALTH_TIMES: HealthTimes = { tickMs: 250, deadlineMs: 1500, patientMs: 20_000 };

export class Heartbeat {
  /** When the unanswered ping was sent; undefined when none is out. */
  private sentAt: number | undefined;
  private lastTick = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Long jobs in flight (see patient()). */
  private patience = 0;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly onDead: () => void,
    private readonly times: HealthTimes = HEALTH_TIMES,
  ) {}

  /** Starts watching (again, after stop()): an unanswered ping gets a full deadline from now. */
  start(): void {
    if (this.timer !== undefined) return;
    this.lastTick = Date.now();
    if (this.sentAt !== undefined) this.sentAt = this.lastTick;
    this.timer = setTimeout(this.tick, 0);
  }

  /**
   * Stops watching: for good when the worker is gone, or while the page is hidden (its timers
   * are throttled then, and the swarm's clock is paused anyway).
   */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Gives the worker the long deadline until `job` settles (work that holds its event loop). */
  patient<T>(job: Promise<T>): Promise<T> {
    this.patience++;
    const done = (): void => {
      this.patience--;
      // The long job may have held back the answer to a ping sent meanwhile: a full deadline from now.
      if (this.sentAt !== undefined) this.sentAt = Math.max(this.sentAt, Date.now() - this.times.tickMs);
    };
    job.then(done, done);
    return job;
  }

  private readonly tick = (): void => {
    const now = Date.now();
    // A late tick means the page itself was stalled (a busy main thread, a throttled timer): an
    // answer could not have been read meanwhile, so that time does not count against the worker.
    const stalled = now - this.lastTick - this.times.tickMs;
    if (stalled > this.times.tickMs && this.sentAt !== undefined) this.sentAt += stalled;
    this.lastTick = now;
    if (this.sentAt === undefined) this.send(now);
    else if (now - this.sentAt > (this.patience > 0 ? this.times.patientMs : this.times.deadlineMs)) {
      this.timer = undefined;
      return this.onDead();
    }
    this.timer = setTimeout(this.tick, this.times.tickMs);
  };

  /** One ping at a time: the next goes only once this one is answered (also across stop/start). */
  private send(now: number): void {
    this.sentAt = now;
    // A rejection means the worker is already known to be gone (its link says so).
    this.ping().then(
      () => void (this.sentAt = undefined),
      () => undefined,
    );
  }
}
