// The virtual clock: simulated time only moves when a driver advances it, so a given
// seed and command sequence always produces the same swarm. Timers are kept in a
// binary heap ordered by (due time, insertion order) so equal-time events run in the
// order they were scheduled.
//
// Timers are of three kinds: the swarm's own (scheduler, agent, orchestrator, updater, ...),
// the control plane's (raft elections, the dispatcher's heartbeat expiries, injected
// failures) and the CLI's waits. A swarm without a leader cannot write to its store, so
// while it has none the clock *holds* the swarm's timers (`hold`): they stand still, and
// `release` gives them back shifted by the time held, in their order. The other kinds run on.

export type TimerId = number;

/**
 * Asked before each timer of a bounded run (see `runUntil`), with how many timers the clock
 * has run in all: true stops the run there, before that timer.
 */
export type StopWhen = (fired: number) => boolean;

/** Whose timer it is (see the top of this file). */
export type TimerKind = 'swarm' | 'control' | 'cli';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  kind: TimerKind;
}

export class VirtualClock {
  /** Milliseconds elapsed since the simulation started (fractional: microsecond grain). */
  private elapsed = 0;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private readonly cancelled = new Set<number>();
  private firedCount = 0;
  /** Set while the swarm's timers are held (no leader): when the hold began. */
  private heldSince: number | undefined;
  /** Swarm timers taken off the heap while held, in the order they reached its top. */
  private held: Timer[] = [];

  /** @param startEpochMs wall-clock time (ms since 1970) at elapsed 0, used for timestamps. */
  constructor(readonly startEpochMs: number) {}

  /** Elapsed simulation time in ms. */
  get now(): number {
    return this.elapsed;
  }

  /** Wall-clock time in ms since the Unix epoch. */
  epochNow(): number {
    return this.startEpochMs + this.elapsed;
  }

  /** Runs `fn` once the clock reaches now + delay (delay ≥ 0). */
  after(delayMs: number, fn: () => void): TimerId {
    return this.at(this.elapsed + Math.max(0, delayMs), fn);
  }

  at(time: number, fn: () => void): TimerId {
    return this.schedule(time, fn, 'swarm');
  }

  /** A timer of the CLI's own (its waits on a realtime swarm): `runToSwarmEvent` runs past it. */
  atForCli(time: number, fn: () => void): TimerId {
    return this.schedule(time, fn, 'cli');
  }

  /** A timer of the control plane (election, heartbeat expiry): it runs while the swarm is held. */
  afterForControl(delayMs: number, fn: () => void): TimerId {
    return this.schedule(this.elapsed + Math.max(0, delayMs), fn, 'control');
  }

  private schedule(time: number, fn: () => void, kind: TimerKind): TimerId {
    const timer: Timer = { at: Math.max(time, this.elapsed), seq: ++this.seq, fn, kind };
    this.push(timer);
    return timer.seq;
  }

  /** Whether the swarm's timers are held (see the top of this file). */
  get holding(): boolean {
    return this.heldSince !== undefined;
  }

  /** From now on the swarm's own timers stand still; a second hold changes nothing. */
  hold(): void {
    if (this.heldSince === undefined) this.heldSince = this.elapsed;
  }

  /**
   * The swarm's timers run again, each due as much later as the hold lasted, so what was
   * 2 s away when the hold began is 2 s away now; their order among themselves is kept.
   */
  release(): void {
    const since = this.heldSince;
    if (since === undefined) return;
    this.heldSince = undefined;
    const shift = this.elapsed - since;
    const all = [...this.heap, ...this.held];
    this.held = [];
    this.heap.length = 0;
    for (const t of all) {
      if (this.cancelled.delete(t.seq)) continue;
      if (t.kind === 'swarm') t.at = Math.max(t.at, since) + shift;
      this.push(t);
    }
  }

  cancel(id: TimerId | undefined): void {
    if (id !== undefined) this.cancelled.add(id);
  }

  /** Due time of the next live timer, or undefined when nothing is scheduled. */
  nextDue(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.at;
  }

  get pending(): number {
    return this.heap.length + this.held.length - this.cancelled.size;
  }

  /** How many timers have run since the clock was made: the simulation's work, in events. */
  get fired(): number {
    return this.firedCount;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    this.runUntil(this.elapsed + Math.max(0, ms));
  }

  /**
   * Runs every timer due by `target`, in order, and moves the clock there. With `stop`, the
   * run may end early, before a timer, when `stop` says so: the clock then stays at the last
   * timer run (the rest is still due) and the result is false. True when `target` was reached.
   */
  runUntil(target: number, stop?: StopWhen): boolean {
    for (;;) {
      this.dropCancelledHead();
      const next = this.heap[0];
      if (!next || next.at > target) break;
      if (stop?.(this.firedCount)) return false;
      this.pop();
      this.elapsed = Math.max(this.elapsed, next.at);
      this.firedCount++;
      next.fn();
    }
    this.elapsed = Math.max(this.elapsed, target);
    return true;
  }

  /**
   * Runs timers in order until one of the swarm's own has run (the CLI's waits due before it
   * run too, as they would have), and moves the clock to it: the swarm's next event. Returns
   * false, moving nothing, when the swarm has nothing scheduled.
   */
  runToSwarmEvent(): boolean {
    for (;;) {
      this.dropCancelledHead();
      const next = this.heap[0];
      if (!next) return false;
      if (next.kind === 'cli' && !this.heap.some((t) => this.runsNow(t) && t.kind !== 'cli' && !this.cancelled.has(t.seq))) return false;
      this.pop();
      this.elapsed = Math.max(this.elapsed, next.at);
      this.firedCount++;
      next.fn();
      if (next.kind !== 'cli') return true;
    }
  }

  /** Runs timers until none is left or `limitMs` of simulated time has passed. Returns true if idle. */
  runToIdle(limitMs = Number.POSITIVE_INFINITY): boolean {
    const deadline = this.elapsed + limitMs;
    for (;;) {
      const due = this.nextDue();
      if (due === undefined) return true;
      if (due > deadline) {
        this.runUntil(deadline);
        return false;
      }
      this.runUntil(due);
    }
  }

  /** A timer that may run: any but the swarm's while they are held. */
  private runsNow(t: Timer): boolean {
    return t.kind !== 'swarm' || this.heldSince === undefined;
  }

  /** Drops cancelled timers off the top, and while held moves the swarm's timers aside. */
  private dropCancelledHead(): void {
    for (;;) {
      const top = this.heap[0];
      if (!top) return;
      if (this.cancelled.has(top.seq)) {
        this.cancelled.delete(top.seq);
        this.pop();
      } else if (top.kind === 'swarm' && this.heldSince !== undefined) {
        this.held.push(this.pop()!);
      } else return;
    }
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
