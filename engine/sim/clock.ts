// The virtual clock: simulated time only moves when a driver advances it, so a given
// seed and command sequence always produces the same swarm. Timers are kept in a
// binary heap ordered by (due time, insertion order) so equal-time events run in the
// order they were scheduled.

export type TimerId = number;

/**
 * Asked before each timer of a bounded run (see `runUntil`), with how many timers the clock
 * has run in all: true stops the run there, before that timer.
 */
export type StopWhen = (fired: number) => boolean;

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  /** A wait of the docker CLI (a progress display's poll), not an event of the swarm. */
  cli: boolean;
}

export class VirtualClock {
  /** Milliseconds elapsed since the simulation started (fractional: microsecond grain). */
  private elapsed = 0;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private readonly cancelled = new Set<number>();
  private firedCount = 0;

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
    return this.schedule(time, fn, false);
  }

  /** A timer of the CLI's own (its waits on a realtime swarm): `runToSwarmEvent` runs past it. */
  atForCli(time: number, fn: () => void): TimerId {
    return this.schedule(time, fn, true);
  }

  private schedule(time: number, fn: () => void, cli: boolean): TimerId {
    const timer: Timer = { at: Math.max(time, this.elapsed), seq: ++this.seq, fn, cli };
    this.push(timer);
    return timer.seq;
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
    return this.heap.length - this.cancelled.size;
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
      if (next.cli && !this.heap.some((t) => !t.cli && !this.cancelled.has(t.seq))) return false;
      this.pop();
      this.elapsed = Math.max(this.elapsed, next.at);
      this.firedCount++;
      next.fn();
      if (!next.cli) return true;
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

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.seq)) {
      this.cancelled.delete(this.heap[0]!.seq);
      this.pop();
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
